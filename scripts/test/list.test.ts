import { writeFileSync } from 'node:fs'
import t from 'tap'
import { formatDate, listCommand } from '../src/commands/list.js'
import { progressFile, recordTestRun } from '../src/progress.js'
import { fixtureRepo, testContext } from './fixtures.js'

t.test('list shows each lesson with its title and last test result', async (t) => {
  const root = fixtureRepo(t)
  const at = new Date('2025-03-04T10:20:00.000Z')
  recordTestRun(progressFile(root), 'hello', 0, at)
  recordTestRun(progressFile(root), 'validation', 1, at)
  const { ctx, stdout, stderr } = testContext(root)
  t.equal(listCommand(ctx), 0)
  const lines = stdout().split('\n')
  t.match(lines[0], new RegExp(`^ {2}01 {2}A server answers +passed +${formatDate(at)}$`))
  t.match(lines[1], /^ {2}02 {2}Routes and status codes +not run$/)
  t.match(lines[2], new RegExp(`^ {2}03 {2}Validation +failed +${formatDate(at)}$`))
  t.match(lines[3], /^ {2}04 {2}Errors +not run$/)
  t.equal(stderr(), '')
})

t.test('list reports a damaged progress file in one line and carries on', async (t) => {
  const root = fixtureRepo(t)
  recordTestRun(progressFile(root), 'hello', 0)
  writeFileSync(progressFile(root), 'not json')
  const { ctx, stdout, stderr } = testContext(root)
  t.equal(listCommand(ctx), 0)
  t.match(stderr(), /^[^\n]*damaged[^\n]*$/)
  t.match(stdout(), /01 {2}A server answers +not run/)
})

t.test('list without lessons says where it looked', async (t) => {
  const { ctx, stderr } = testContext(t.testdir({}))
  t.equal(listCommand(ctx), 1)
  t.match(stderr(), /No lessons found in .*lessons/)
})
