import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { checkCommand } from '../src/commands/check.js'
import { migrateCommand, seedCommand } from '../src/commands/database.js'
import { hintCommand } from '../src/commands/hint.js'
import { listCommand } from '../src/commands/list.js'
import { practiceCommand } from '../src/commands/practice.js'
import { resetCommand } from '../src/commands/reset.js'
import { main } from '../src/lesson.js'
import { loadProgress, progressFile } from '../src/progress.js'
import { testContext } from './fixtures.js'
import { practiceRepo } from './practice-fixtures.js'

const progressOf = (root: string) => loadProgress(progressFile(root)).progress.lessons

t.test(
  "practice copies the previous lesson with this lesson's tests and package.json",
  async (t) => {
    const root = practiceRepo(t)
    const { ctx, stdout } = testContext(root)
    t.equal(await practiceCommand(ctx, '3', { force: false }), 0)
    const dir = join(root, 'playground/03-validation')
    t.equal(readFileSync(join(dir, 'src/app.ts'), 'utf8'), 'export const routes = 1\n', "02's code")
    t.notOk(existsSync(join(dir, 'src/todos/schemas.ts')), 'not the answer')
    t.same(
      readdirSync(join(dir, 'test')).sort(),
      ['all.ts', 'helpers.ts', 'todos.test.ts', 'validation.test.ts'],
      "03's tests",
    )
    t.match(
      readFileSync(join(dir, 'test/todos.test.ts'), 'utf8'),
      'rejects a to-do without a title',
    )
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    t.equal(pkg.name, '@kitchen/playground-03-validation')
    t.notOk(existsSync(join(dir, 'README.md')), "02's README stays behind")
    t.notOk(existsSync(join(dir, '.tap')), 'no build leftovers')
    t.equal(
      readlinkSync(join(dir, 'node_modules')),
      join('..', '..', 'lessons/03-validation/node_modules'),
    )
    t.ok(existsSync(join(dir, 'node_modules/.bin/tap')), 'the link resolves')

    const out = stdout()
    t.match(out, 'In this lesson you write `src/todos/schemas.ts`.', 'the goal, from hints.md')
    t.match(out, /changed +src\/app\.ts/)
    t.match(out, /new +src\/todos\/schemas\.ts/)
    t.notMatch(out, /test\/|package\.json|README\.md/, 'only what the learner writes')
    t.match(out, 'pnpm lesson check 03')
    t.match(out, 'pnpm lesson hint 03')
    t.equal(progressOf(root).validation?.practice?.state, 'current')
  },
)

t.test('practice refuses to overwrite work, and --force backs it up first', async (t) => {
  const root = practiceRepo(t)
  const { ctx, stderr, stdout } = testContext(root)
  t.equal(await practiceCommand(ctx, '3', { force: false }), 0)
  t.equal(await practiceCommand(ctx, '3', { force: false }), 0, 'an untouched copy is just renewed')
  const app = join(root, 'playground/03-validation/src/app.ts')
  writeFileSync(app, 'my work\n')
  t.equal(await practiceCommand(ctx, '3', { force: false }), 1)
  t.match(stderr(), 'playground/03-validation already has your work in it')
  t.match(stderr(), '  src/app.ts')
  t.match(stderr(), '--force')
  t.equal(readFileSync(app, 'utf8'), 'my work\n', 'nothing was touched')

  t.equal(await practiceCommand(ctx, '3', { force: true }), 0)
  t.equal(readFileSync(app, 'utf8'), 'export const routes = 1\n', 'a fresh copy')
  const backups = readdirSync(join(root, 'playground/.backup'))
  t.equal(backups.length, 1)
  t.match(backups[0], /^03-validation-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/)
  const saved = join(root, 'playground/.backup', backups[0] as string)
  t.equal(readFileSync(join(saved, 'src/app.ts'), 'utf8'), 'my work\n')
  t.notOk(existsSync(join(saved, 'node_modules')), 'the backup has no node_modules')
  t.match(stdout(), `backed up in playground/.backup/${backups[0]}/`)
})

t.test('practice without installed packages says to install', async (t) => {
  const root = practiceRepo(t)
  const { ctx, stderr } = testContext(root)
  t.equal(await practiceCommand(ctx, '2', { force: false }), 1)
  t.match(stderr(), /no node_modules yet: run `pnpm install`/)
})

t.test('practising the first lesson starts from an empty src/', async (t) => {
  const root = practiceRepo(t)
  const { ctx, stdout } = testContext(root)
  t.equal(await practiceCommand(ctx, '1', { force: false }), 0)
  t.same(readdirSync(join(root, 'playground/01-hello/src')), [])
  t.match(stdout(), 'After this lesson a server answers.', 'the goal, from the README')
})

t.test('check grades the copy: exit 1 and a checklist, then 0 and done', async (t) => {
  const root = practiceRepo(t)
  const first = testContext(root)
  await practiceCommand(first.ctx, '3', { force: false })

  const failing = testContext(root)
  t.equal(await checkCommand(failing.ctx, undefined), 1, 'the current lesson by default')
  const out = failing.stdout()
  t.match(
    out,
    'New in lesson 03\n\ntest/todos.test.ts\n  ✘ rejects a to-do without a title\n      should be equal (test/todos.test.ts:12)',
    "the lesson's own tests first, under the file that defines them",
  )
  t.match(out, '-400\n      +201')
  t.match(out, 'test/validation.test.ts\n  ✘ rejects bad input', 'a name written as a template')
  t.match(
    out,
    'From earlier lessons\n  ✔ 1 behaviour from earlier lessons still passes',
    "lesson 02's behaviours fold into one line",
  )
  t.notMatch(out, '✔ lists the to-dos')
  t.match(
    out,
    'Still to fix (2):\n  ✘ test/todos.test.ts: rejects a to-do without a title  (test/todos.test.ts:12)\n  ✘ test/validation.test.ts: rejects bad input',
    'the failures again at the end',
  )
  t.match(out, 'Type check (tsc)\n  ✔ no type errors')
  t.match(out, '1 of 3 behaviours pass.')
  t.match(out, 'pnpm lesson hint 03')
  t.match(progressOf(root).validation?.practice, {
    state: 'current',
    lastCheck: { result: 'failed', passed: 1, failed: 2, typeErrors: 0 },
  })

  const app = join(root, 'playground/03-validation/src/app.ts')
  writeFileSync(app, 'export const routes = 1 // validated\n')
  const passing = testContext(root)
  t.equal(await checkCommand(passing.ctx, '3'), 0)
  t.match(passing.stdout(), '  ✔ rejects a to-do without a title')
  t.notMatch(passing.stdout(), 'Still to fix')
  t.match(passing.stdout(), 'All 3 behaviours pass: lesson 03 (Validation) is done!')
  t.match(passing.stdout(), 'How lesson 03 itself does it', 'then the reference, compared')
  t.match(passing.stdout(), '+export const Todo = {}')
  t.match(progressOf(root).validation?.practice, { state: 'done', lastCheck: { result: 'passed' } })

  const list = testContext(root)
  listCommand(list.ctx)
  t.match(list.stdout(), /03 {2}Validation +✔ done/)
  t.match(list.stdout(), /02 {2}Routes +not started/)

  const next = testContext(root)
  t.equal(await checkCommand(next.ctx, undefined), 0, 'check after the last lesson practised')
  t.match(next.stdout(), 'You finished lesson 03 (Validation).')
  t.notMatch(next.stderr(), 'not practising')
})

t.test(
  'check shows each type error as a failing line, and a copy with one is not done',
  async (t) => {
    const root = practiceRepo(t)
    await practiceCommand(testContext(root).ctx, '3', { force: false })
    writeFileSync(
      join(root, 'playground/03-validation/src/app.ts'),
      'export const routes: number = "1" // validated TYPE_ERROR\n',
    )
    const { ctx, stdout } = testContext(root)
    t.equal(await checkCommand(ctx, '3'), 1)
    const out = stdout()
    const line = "✘ src/app.ts:1:14 Type 'string' is not assignable to type 'number'. (TS2322)"
    t.match(out, `Type check (tsc)\n  ${line}`)
    t.match(out, `Still to fix (1):\n  ${line}`)
    t.notMatch(out, 'The expected type comes from here', 'one line per error')
    t.match(out, '3 of 3 behaviours pass. 1 type error: the lesson is done when there are none.')
    t.notMatch(out, 'is done!')
    t.match(progressOf(root).validation?.practice, {
      state: 'current',
      lastCheck: { result: 'failed', passed: 3, failed: 0, typeErrors: 1 },
    })
  },
)

t.test('a test file that cannot load is one failing line, under its own name', async (t) => {
  const root = practiceRepo(t)
  await practiceCommand(testContext(root).ctx, '3', { force: false })
  writeFileSync(join(root, 'playground/03-validation/src/app.ts'), '// validated BROKEN\n')
  const { ctx, stdout } = testContext(root)
  t.equal(await checkCommand(ctx, '3'), 1)
  const out = stdout()
  t.match(out, "test/validation.test.ts\n  ✘ could not load: Cannot find module 'src/nope.js'\n")
  t.match(out, 'test/validation.test.ts: could not load')
  t.match(out, '2 of 2 behaviours pass. 1 test file could not load.')
})

t.test('check without a copy, or without a current lesson, says what to do', async (t) => {
  const root = practiceRepo(t)
  const { ctx, stderr } = testContext(root)
  t.equal(await checkCommand(ctx, '3'), 1)
  t.match(stderr(), 'make one with `pnpm lesson practice 03`')
  t.equal(await checkCommand(ctx, undefined), 1)
  t.match(stderr(), 'You are not practising a lesson yet')
})

t.test('in your copy, `pnpm lesson check` checks that copy', async (t) => {
  const root = practiceRepo(t)
  await practiceCommand(testContext(root).ctx, '3', { force: false })
  await practiceCommand(testContext(root).ctx, '1', { force: false })
  const { ctx, stdout } = testContext(root, { cwd: join(root, 'playground/03-validation/src') })
  t.equal(await main(['check'], ctx), 1)
  t.match(stdout(), 'Checking your copy of lesson 03', 'not lesson 01, practised last')
})

t.test('hints come one at a time, "N of M", then --all', async (t) => {
  const root = practiceRepo(t)
  const { ctx, stdout } = testContext(root)
  t.equal(hintCommand(ctx, '3', { all: false }), 0)
  t.match(stdout(), 'Lesson 03, hint 1 of 3: a nudge\nLook at the routes.')
  t.notMatch(stdout(), 'Use a schema')
  hintCommand(ctx, '3', { all: false })
  t.match(stdout(), 'hint 2 of 3\nUse a schema.')
  t.equal(progressOf(root).validation?.hintsSeen, 2)
  hintCommand(ctx, '3', { all: false })
  t.match(stdout(), 'hint 3 of 3: nearly there')
  t.match(stdout(), 'That was the last hint.')
  hintCommand(ctx, '3', { all: false })
  t.match(stdout(), 'You have seen all 3 hints; here is the last one again.')

  const all = testContext(root)
  hintCommand(all.ctx, '03-validation', { all: true })
  t.match(all.stdout(), /hint 1 of 3[\s\S]*hint 2 of 3[\s\S]*hint 3 of 3/)

  const none = testContext(root)
  t.equal(hintCommand(none.ctx, '2', { all: false }), 1)
  t.match(none.stderr(), 'Lesson 02 has no hints yet')
})

t.test('reset forgets the lesson and says what it cleared, keeping the copy', async (t) => {
  const root = practiceRepo(t)
  const { ctx, stdout } = testContext(root)
  await practiceCommand(ctx, '3', { force: false })
  hintCommand(ctx, '3', { all: false })
  t.equal(resetCommand(ctx, '3'), 0)
  t.match(stdout(), "Cleared lesson 03's progress: practice state (current), 1 hint seen.")
  t.match(stdout(), 'rm -rf playground/03-validation')
  t.equal(progressOf(root).validation, undefined)
  t.ok(existsSync(join(root, 'playground/03-validation/src/app.ts')))
  t.equal(resetCommand(ctx, '3'), 0)
  t.match(stdout(), 'Lesson 03 had no progress to clear.')
})

t.test('migrate and seed run the lesson scripts, or explain why not', async (t) => {
  const root = practiceRepo(t)
  const lesson = join(root, 'lessons/03-validation/package.json')
  const pkg = JSON.parse(readFileSync(lesson, 'utf8'))
  pkg.scripts.migrate = 'node -e "process.exit(process.argv[1] === \'down\' ? 4 : 0)"'
  pkg.scripts.seed = 'node -e "process.exit(5)"'
  writeFileSync(lesson, JSON.stringify(pkg))
  const { ctx, stderr } = testContext(root)
  t.equal(await migrateCommand(ctx, '2', 'latest'), 1)
  t.match(stderr(), 'Lesson 02 has no database migrations: they start in lesson 03.')
  t.equal(await seedCommand(ctx, '1'), 1)
  t.match(stderr(), 'Lesson 01 has no seed data')
  t.equal(await migrateCommand(ctx, '3', 'sideways'), 1)
  t.match(stderr(), '"sideways" is not a direction')
  t.equal(await migrateCommand(ctx, '3', 'latest'), 0)
  t.equal(await seedCommand(ctx, '3'), 5)
})
