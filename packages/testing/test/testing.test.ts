import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import Fastify from 'fastify'
import t from 'tap'
import { captureLogs, listenOnFreePort, readyApp, runScript } from '../src/index.js'

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
