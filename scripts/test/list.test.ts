import { writeFileSync } from 'node:fs'
import t from 'tap'
import { formatDate, listCommand } from '../src/commands/list.js'
import { progressFile, recordTestRun, updateLesson } from '../src/progress.js'
import { fixtureRepo, testContext } from './fixtures.js'

t.test('list shows each lesson with its title and last test result', async (t) => {
  const root = fixtureRepo(t)
  const at = new Date('2025-03-04T10:20:00.000Z')
  recordTestRun(progressFile(root), 'hello', 0, at)
  recordTestRun(progressFile(root), 'validation', 1, at)
  const { ctx, stdout, stderr } = testContext(root)
  t.equal(listCommand(ctx), 0)
  const lines = stdout().split('\n')
  t.match(lines[0], /^ +lesson +practice +tests$/)
  t.match(
    lines[1],
    new RegExp(`^ {2}01 {2}A server answers +not started +passed +${formatDate(at)}$`),
  )
  t.match(lines[2], /^ {2}02 {2}Routes and status codes +not started +not run$/)
  t.match(lines[3], new RegExp(`^ {2}03 {2}Validation +not started +failed +${formatDate(at)}$`))
  t.match(lines[4], /^ {2}04 {2}Errors +not started +not run$/)
  t.equal(stderr(), '')
})

t.test('list reports a damaged progress file in one line and carries on', async (t) => {
  const root = fixtureRepo(t)
  recordTestRun(progressFile(root), 'hello', 0)
  writeFileSync(progressFile(root), 'not json')
  const { ctx, stdout, stderr } = testContext(root)
  t.equal(listCommand(ctx), 0)
  t.match(stderr(), /^[^\n]*damaged[^\n]*$/)
  t.match(stdout(), /01 {2}A server answers +not started +not run/)
})

t.test('list shows which lessons are done and which is current', async (t) => {
  const root = fixtureRepo(t)
  updateLesson(progressFile(root), 'hello', () => ({ practice: { state: 'done' } }))
  updateLesson(progressFile(root), 'routes', () => ({ practice: { state: 'current' } }))
  const { ctx, stdout } = testContext(root)
  listCommand(ctx)
  t.match(stdout(), /01 {2}A server answers +✔ done +not run/)
  t.match(stdout(), /02 {2}Routes and status codes +▶ current +not run/)
  t.match(stdout(), /03 {2}Validation +not started +not run/)
})

t.test('list without lessons says where it looked', async (t) => {
  const { ctx, stderr } = testContext(t.testdir({}))
  t.equal(listCommand(ctx), 1)
  t.match(stderr(), /No lessons found in .*lessons/)
})
