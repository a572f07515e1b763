import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { diffCommand, linesByFolder } from '../src/commands/diff.js'
import { fixtureRepo, testContext } from './fixtures.js'

const repo = fileURLToPath(new URL('../..', import.meta.url))

t.test('diff shows only what the concept changed', async (t) => {
  const { ctx, stdout } = testContext(fixtureRepo(t))
  t.equal(
    await diffCommand(ctx, '2', undefined, { stat: false, readme: false }),
    0,
    'differences still exit 0',
  )
  const text = stdout()
  t.match(
    text,
    'What 02-routes changed compared with 01-hello (README.md left out: add --readme to see it):',
  )
  t.match(text, '--- 01-hello/src/app.ts\n+++ 02-routes/src/app.ts')
  t.match(text, '+export const routes = ["/health", "/todos"]')
  t.match(text, '+++ 02-routes/src/todos.ts')
  for (const generated of ['node_modules', '.tap', 'dist', 'tsbuildinfo', 'pnpm-lock']) {
    t.notMatch(text, generated, `${generated} is left out`)
  }
  t.notMatch(text, 'package.json', 'a package.json that differs only in name and title is left out')
  t.notMatch(text, '\x1b[', 'no colour unless asked')
})

t.test('a real package.json change is shown', async (t) => {
  const { ctx, stdout } = testContext(fixtureRepo(t))
  await diffCommand(ctx, '03', undefined, { stat: false, readme: false })
  t.match(stdout(), '+++ 03-validation/package.json')
  t.match(stdout(), /^\+ {2}"devDependencies": \{$/m)
  t.notMatch(stdout(), /^[-+] {2}"(name|description)"/m, 'the renaming is not part of it')
  t.match(stdout(), /^\+export const schema = \{\}$/m)
})

t.test('diff n m compares with lesson m instead', async (t) => {
  const { ctx, stdout } = testContext(fixtureRepo(t))
  await diffCommand(ctx, '4', '1', { stat: true, readme: false })
  t.match(stdout(), 'What 04-errors changed compared with 01-hello')
  t.match(stdout(), /src\/app\.ts \| 2 \+-/)
})

t.test('--stat summarises files and lines', async (t) => {
  const { ctx, stdout } = testContext(fixtureRepo(t))
  await diffCommand(ctx, '2', undefined, { stat: true, readme: false })
  t.match(stdout(), /src\/app\.ts +\| 2 \+-/)
  t.match(stdout(), /src\/todos\.ts +\| 1 \+/)
  t.match(stdout(), '2 files changed, 2 insertions(+), 1 deletion(-)')
  t.match(stdout(), 'src/: 2 added, 1 removed · test/: 0 added, 0 removed')
  t.notMatch(stdout(), '@@', 'no patch, only the summary')
})

t.test('--stat counts src/ and test/ lines apart', async (t) => {
  const numstat = [
    '10\t2\tsrc/app.ts',
    '5\t0\tsrc/db/errors.ts',
    '7\t1\ttest/x.test.ts',
    '1\t1\tpackage.json',
    '-\t-\tlogo.png',
  ].join('\n')
  t.equal(
    linesByFolder(numstat),
    'src/: 15 added, 2 removed · test/: 7 added, 1 removed · other: 1 added, 1 removed',
  )
})

t.test('colour is on when asked for', async (t) => {
  const { ctx, stdout } = testContext(fixtureRepo(t), { color: true })
  await diffCommand(ctx, '2', undefined, { stat: false, readme: false })
  t.match(stdout(), '\x1b[')
})

t.test('identical lessons say so', async (t) => {
  const root = fixtureRepo(t)
  writeFileSync(`${root}/lessons/02-routes/src/app.ts`, 'export const routes = ["/health"]\n')
  rmSync(`${root}/lessons/02-routes/src/todos.ts`)
  const { ctx, stdout } = testContext(root)
  t.equal(await diffCommand(ctx, '2', undefined, { stat: false, readme: false }), 0)
  t.equal(
    stdout(),
    'Lessons 01-hello and 02-routes have the same files (README.md left out: add --readme to see it).',
  )
})

t.test('the first lesson has nothing before it', async (t) => {
  const { ctx, stderr } = testContext(fixtureRepo(t))
  t.equal(await diffCommand(ctx, '1', undefined, { stat: false, readme: false }), 1)
  t.match(stderr(), /01-hello is the first lesson/)
})

t.test('README.md is left out unless --readme', async (t) => {
  const root = fixtureRepo(t)
  writeFileSync(`${root}/lessons/02-routes/README.md`, '# Lesson 02\n')
  const without = testContext(root)
  await diffCommand(without.ctx, '2', undefined, { stat: true, readme: false })
  t.notMatch(without.stdout(), /README\.md +\|/)
  const withReadme = testContext(root)
  await diffCommand(withReadme.ctx, '2', undefined, { stat: true, readme: true })
  t.match(withReadme.stdout(), /README\.md +\|/)
  t.notMatch(withReadme.stdout(), 'left out')
})

t.test('--src shows only src/, --tests only test/', async (t) => {
  const root = fixtureRepo(t)
  mkdirSync(join(root, 'lessons/02-routes/test'))
  writeFileSync(join(root, 'lessons/02-routes/test/todos.test.ts'), "t.test('lists')\n")
  writeFileSync(join(root, 'lessons/02-routes/README.md'), '# Changed\n')
  const src = testContext(root)
  t.equal(await diffCommand(src.ctx, '2', undefined, { stat: false, readme: true, only: 'src' }), 0)
  t.match(src.stdout(), 'What 02-routes changed compared with 01-hello (only src/):')
  t.match(src.stdout(), '+++ 02-routes/src/todos.ts')
  t.notMatch(src.stdout(), /test\/|README/)
  const tests = testContext(root)
  await diffCommand(tests.ctx, '2', undefined, { stat: false, readme: false, only: 'test' })
  t.match(tests.stdout(), '+++ 02-routes/test/todos.test.ts')
  t.notMatch(tests.stdout(), /src\//)
})

t.test('--mine formats both sides the way the repository does before comparing', async (t) => {
  const root = fixtureRepo(t)
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir')
  cpSync(join(repo, 'biome.json'), join(root, 'biome.json'))
  const copy = join(root, 'playground/02-routes')
  mkdirSync(join(copy, 'src'), { recursive: true })
  cpSync(join(root, 'lessons/02-routes/package.json'), join(copy, 'package.json'))
  cpSync(join(root, 'lessons/02-routes/README.md'), join(copy, 'README.md'))
  // The same code, written with other quotes, semicolons and wrapping, imports in another order.
  writeFileSync(
    join(copy, 'src/app.ts'),
    "import { b } from './b.js';\nimport { a } from './a.js';\nexport const routes = [\n  '/health',\n  '/todos',\n];\n",
  )
  writeFileSync(
    join(root, 'lessons/02-routes/src/app.ts'),
    'import { a } from "./a.js"\nimport { b } from "./b.js"\nexport const routes = ["/health", "/todos"]\n',
  )
  writeFileSync(join(copy, 'src/todos.ts'), 'export const todos = [1]\n')
  const { ctx, stdout } = testContext(root)
  t.equal(await diffCommand(ctx, '2', undefined, { stat: false, readme: false, mine: true }), 0)
  t.match(stdout(), 'What lesson 02-routes does differently from your copy')
  t.notMatch(stdout(), 'src/app.ts', 'the formatting alone is no difference')
  t.match(stdout(), '-export const todos = [1]\n+export const todos = []')
})
