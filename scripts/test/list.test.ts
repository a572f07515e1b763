import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
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

t.test(
  'list shows what the last `pnpm test` left in each lesson’s .tap/test-results',
  async (t) => {
    const root = fixtureRepo(t)
    const at = new Date('2025-03-05T09:15:00.000Z')
    const results = (lesson: string, tap: string) => {
      const dir = join(root, 'lessons', lesson)
      mkdirSync(join(dir, '.tap/test-results/test'), { recursive: true })
      mkdirSync(join(dir, 'test'), { recursive: true })
      writeFileSync(join(dir, 'test/all.ts'), '// every test file\n')
      const file = join(dir, '.tap/test-results/test/all.ts.tap')
      writeFileSync(file, tap)
      utimesSync(file, at, at)
    }
    results('01-hello', 'TAP version 14\nok 1 - a # time=1ms\nok 2 - b # time=1ms\n1..2\n')
    // A file run on its own earlier: its results are in all.ts.tap too, and count once.
    writeFileSync(join(root, 'lessons/01-hello/test/a.test.ts'), "t.test('a')\n")
    writeFileSync(join(root, 'lessons/01-hello/.tap/test-results/test/a.test.ts.tap'), 'ok 1 - a\n')
    results('03-validation', 'TAP version 14\nok 1 - a\nnot ok 2 - b\nok 3 - c # SKIP\n1..3\n')
    // Results of a test file that is gone say nothing about the lesson any more.
    mkdirSync(join(root, 'lessons/04-errors/.tap/test-results/test'), { recursive: true })
    writeFileSync(join(root, 'lessons/04-errors/.tap/test-results/test/gone.test.ts.tap'), 'ok 1\n')

    const { ctx, stdout } = testContext(root)
    t.equal(listCommand(ctx), 0)
    const when = formatDate(at)
    t.match(
      stdout(),
      new RegExp(`01 {2}A server answers +not started +passed +${when} {2}2 behaviours`),
    )
    t.match(stdout(), /02 {2}Routes and status codes +not started +not run/)
    t.match(stdout(), new RegExp(`03 {2}Validation +not started +failed +${when} {2}1 of 2 fail`))
    t.match(stdout(), /04 {2}Errors +not started +not run/)
  },
)

t.test('a `pnpm lesson test` run newer than the results wins', async (t) => {
  const root = fixtureRepo(t)
  const dir = join(root, 'lessons/01-hello')
  mkdirSync(join(dir, '.tap/test-results/test'), { recursive: true })
  mkdirSync(join(dir, 'test'))
  writeFileSync(join(dir, 'test/all.ts'), '\n')
  const file = join(dir, '.tap/test-results/test/all.ts.tap')
  writeFileSync(file, 'ok 1 - a\n')
  const old = new Date('2025-01-01T00:00:00.000Z')
  utimesSync(file, old, old)
  const at = new Date('2025-03-04T10:20:00.000Z')
  recordTestRun(progressFile(root), 'hello', 1, at)
  const { ctx, stdout } = testContext(root)
  listCommand(ctx)
  t.match(
    stdout(),
    new RegExp(`01 {2}A server answers +not started +failed +${formatDate(at)}$`, 'm'),
  )
})
