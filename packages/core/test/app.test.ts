import t from 'tap'
import { Type } from 'typebox'
import { createApp, startServer } from '../src/index.js'
import { captureLogs, listenForTest, runScript, testApp } from '../src/testing.js'

t.test('URL params are converted from text, bodies are not', async (t) => {
  const app = createApp()
  app.post(
    '/items/:id',
    {
      schema: {
        params: Type.Object({ id: Type.Integer() }),
        body: Type.Object({ count: Type.Integer() }),
      },
    },
    async (request) => ({ params: request.params, body: request.body }),
  )
  await testApp(t, app)

  const ok = await app.inject({ method: 'POST', url: '/items/7', payload: { count: 2 } })
  t.same(ok.json(), { params: { id: 7 }, body: { count: 2 } })

  const text = await app.inject({ method: 'POST', url: '/items/7', payload: { count: '2' } })
  t.equal(text.statusCode, 400, 'a number sent as text in a body is rejected')
})

t.test('every answer carries a request id, and a caller may choose it', async (t) => {
  const app = createApp()
  app.get('/', async () => 'hi')
  await testApp(t, app)
  const generated = await app.inject({ method: 'GET', url: '/' })
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const chosen = await app.inject({
    method: 'GET',
    url: '/',
    headers: { 'x-request-id': 'abc-123' },
  })
  t.equal(chosen.headers['x-request-id'], 'abc-123')
  const strange = await app.inject({
    method: 'GET',
    url: '/',
    headers: { 'x-request-id': 'x\u001b[31m fake log line' },
  })
  t.match(strange.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a strange id is replaced')
})

t.test('logs carry the request id and never the Authorization header', async (t) => {
  const logs = captureLogs()
  const app = createApp({ logLevel: 'trace', logStream: logs.stream })
  app.get('/', async (request) => {
    request.log.info({ headers: request.headers }, 'handling')
    return 'hi'
  })
  await testApp(t, app)
  await app.inject({ method: 'GET', url: '/', headers: { authorization: 'Bearer top-secret' } })
  const incoming = logs.lines().find((line) => line.msg === 'incoming request')
  t.ok(incoming?.reqId, 'the request log line has a reqId')
  const handling = logs.lines().find((line) => line.msg === 'handling')
  t.match(handling, { headers: { authorization: '[Redacted]' } })
  t.notMatch(logs.text(), /top-secret/)
})

t.test('listenForTest serves real HTTP on a free port', async (t) => {
  const app = createApp()
  app.get('/health', async () => ({ status: 'ok' }))
  const url = await listenForTest(t, app)
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const res = await fetch(`${url}/health`)
  t.same(await res.json(), { status: 'ok' })
})

t.test('startServer explains a port that is already in use', async (t) => {
  const first = createApp()
  const url = await listenForTest(t, first)
  const port = Number(new URL(url).port)
  const second = createApp()
  t.teardown(() => second.close())
  await t.rejects(startServer(second, { port, host: '127.0.0.1' }), {
    name: 'ListenError',
    message: new RegExp(`Port ${port} is already in use.*PORT=${port + 1}`),
  })
})

t.test('runScript runs a file in its own process and collects what it prints', async (t) => {
  const dir = t.testdir({
    'hello.ts': "console.log('hello', process.argv[2], process.env.GREETING); process.exit(3)",
  })
  const run = runScript(dir, 'hello.ts', { args: ['cook'], env: { GREETING: 'hi' } })
  t.match(await run.waitFor(/hello (\w+) (\w+)/), ['hello cook hi', 'cook', 'hi'])
  t.equal(await run.exited, 3)
})
