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
