import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Fastify from 'fastify'
import t from 'tap'
import { captureLogs, listenOnFreePort, readyApp, runCommand, runScript } from '../src/index.js'

t.test('readyApp readies the app for inject and closes it when the test ends', async (t) => {
  const app = Fastify()
  app.get('/', async () => 'hi')
  await t.test('inner', async (t) => {
    await readyApp(t, app)
    const res = await app.inject({ method: 'GET', url: '/' })
    t.equal(res.body, 'hi')
  })
  // After the inner test, the app is closed: a closed app refuses inject.
  await t.rejects(app.inject({ method: 'GET', url: '/' }))
})

t.test('listenOnFreePort serves real HTTP on a free port', async (t) => {
  const app = Fastify()
  app.get('/health', async () => ({ status: 'ok' }))
  const url = await listenOnFreePort(t, app)
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const res = await fetch(`${url}/health`)
  t.same(await res.json(), { status: 'ok' })
})

t.test('captureLogs collects JSON log lines from a logger', async (t) => {
  const logs = captureLogs()
  const app = Fastify({ logger: { level: 'info', stream: logs.stream } })
  app.get('/', async (request) => {
    request.log.info({ cook: 'Ann' }, 'handling')
    return 'hi'
  })
  await readyApp(t, app)
  await app.inject({ method: 'GET', url: '/' })
  t.match(logs.lines(), [{ msg: 'incoming request' }, { msg: 'handling', cook: 'Ann' }, {}])
  t.match(logs.text(), /"msg":"request completed"/)
})

t.test('runScript runs a file in its own process and collects what it prints', async (t) => {
  const dir = t.testdir({
    'hello.ts': "console.log('hello', process.argv[2], process.env.GREETING); process.exit(3)",
  })
  const run = runScript(dir, 'hello.ts', { args: ['cook'], env: { GREETING: 'hi' } })
  t.match(await run.waitFor(/hello (\w+) (\w+)/), ['hello cook hi', 'cook', 'hi'])
  t.equal(await run.exited, 3)
})

t.test(
  'runScript runs a program compiled once, and each file keeps its import.meta.url',
  async (t) => {
    const dir = t.testdir({
      'package.json': JSON.stringify({ type: 'module' }),
      src: {
        'main.ts': "import { here } from './lib/where.js'\nconsole.log('from', here())",
        lib: { 'where.ts': 'export const here = (): string => import.meta.url' },
      },
    })
    const run = runScript(dir, 'src/main.ts')
    t.equal(await run.exited, 0)
    t.match(run.output(), /from file:\/\/.*\/src\/lib\/where\.ts/)
    t.match(readdirSync(join(dir, '.tap', 'run')), [/^main-\d+\.mjs$/], 'compiled into .tap/run')
  },
)

t.test('runCommand runs a command with exactly the environment it is given', async (t) => {
  const dir = t.testdir({
    'show.mjs': 'console.log(process.cwd(), process.env.ONLY, process.env.HOME)',
  })
  const run = runCommand(dir, ['node', 'show.mjs'], { ONLY: 'this' })
  t.match(await run.waitFor(/this/), ['this'])
  t.equal(await run.exited, 0)
  t.equal(
    run.output().trim(),
    `${dir} this undefined`,
    'in cwd, with ONLY and nothing else of ours',
  )
})

t.test('runScript bundles packages from npm too, and each keeps its own folder', async (t) => {
  const dir = t.testdir({
    'package.json': JSON.stringify({ type: 'module' }),
    'main.ts':
      "import { readme } from 'old-style'\nimport { where } from 'new-style'\nconsole.log(readme(), where)",
    node_modules: {
      // CommonJS, finding a file of its own through __dirname (as @fastify/swagger-ui does)
      'old-style': {
        'package.json': JSON.stringify({ name: 'old-style', main: 'index.js' }),
        'index.js':
          "const { readFileSync } = require('node:fs')\nexports.readme = () => readFileSync(__dirname + '/README', 'utf8').trim()",
        README: 'read from its own folder',
      },
      // an ES module, asking where it is
      'new-style': {
        'package.json': JSON.stringify({
          name: 'new-style',
          type: 'module',
          exports: './index.js',
        }),
        'index.js': 'export const where = import.meta.url',
      },
    },
  })
  const run = runScript(dir, 'main.ts')
  t.equal(await run.exited, 0, run.output())
  t.match(
    run.output(),
    /^read from its own folder file:\/\/.*\/node_modules\/new-style\/index\.js$/m,
  )
  const [program] = readdirSync(join(dir, '.tap', 'run'))
  const code = readFileSync(join(dir, '.tap', 'run', program as string), 'utf8')
  t.notMatch(
    code,
    /from ["']old-style["']|require\(["']new-style["']\)/,
    'both are in the one file',
  )
})

t.test(
  'runScript starts its process without tap’s module hook, keeping other options',
  async (t) => {
    const dir = t.testdir({
      'show.ts':
        "console.log(JSON.stringify({ options: process.env.NODE_OPTIONS ?? '', tap: Object.keys(process.env).filter((name) => name.startsWith('_TAPJS_PROCESSINFO_')) }))",
    })
    const plain = execFileSync(process.execPath, ['-p', 'process.env.NODE_OPTIONS'], {
      encoding: 'utf8',
    })
    t.match(plain, /processinfo/, 'tap gives it to the processes a test starts')
    const run = runScript(dir, 'show.ts', { env: { NODE_OPTIONS: '--max-old-space-size=200' } })
    t.equal(await run.exited, 0, run.output())
    const seen = JSON.parse(run.output())
    t.notMatch(seen.options, /processinfo/)
    t.match(seen.options, '--max-old-space-size=200', 'an option of the caller’s stays')
    t.same(seen.tap, [])
  },
)

t.test(
  'runTestFiles loads every test file before any test runs, and reports one that cannot load',
  async (t) => {
    const index = new URL('../src/index.ts', import.meta.url).href
    const dir = t.testdir({
      'package.json': JSON.stringify({ type: 'module' }),
      'all.ts': `import { runTestFiles } from ${JSON.stringify(index)}
await runTestFiles(new URL('.', import.meta.url))`,
      'a.test.ts': `import t from 'tap'
t.test('a runs after every file has loaded', async (t) => {
  t.equal((globalThis as Record<string, unknown>).zLoaded, true)
})`,
      'b.test.ts': 'import { missing } from "./nowhere.js"\nconsole.log(missing)',
      'z.test.ts': `await new Promise((resolve) => setTimeout(resolve, 300))
;(globalThis as Record<string, unknown>).zLoaded = true`,
      'notes.ts': 'throw new Error("not a test file: never loaded")',
    })
    const run = runScript(dir, 'all.ts')
    await run.exited
    t.match(run.output(), /^ok 1 - a runs after every file has loaded/m)
    t.match(run.output(), /^not ok 2 - b\.test\.ts loads/m)
    t.notMatch(run.output(), /not a test file/)
  },
)
