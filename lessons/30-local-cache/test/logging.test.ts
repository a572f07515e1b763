import { captureLogs } from '@kitchen/testing'
import t from 'tap'
import { appForTest } from './helpers.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

t.test('each answer carries its request id in the X-Request-Id header', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.match(res.headers['x-request-id'], uuid)
})

t.test('a caller may choose the request id, but only a short, plain one', async (t) => {
  const app = await appForTest(t)
  const chosen = await app.inject({
    method: 'GET',
    url: '/health',
    headers: { 'x-request-id': 'abc-123' },
  })
  t.equal(chosen.headers['x-request-id'], 'abc-123')
  for (const strange of ['two words', 'x\u001b[31m fake log line', 'a'.repeat(101)]) {
    const res = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': strange },
    })
    t.match(res.headers['x-request-id'], uuid, 'a strange id is replaced')
  }
})

t.test('log lines of one request share its request id', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, { logLevel: 'info', logStream: logs.stream })
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  const requestId = res.headers['x-request-id']
  const lines = logs.lines().filter((line) => line.reqId === requestId)
  t.same(
    lines.map((line) => line.msg),
    ['incoming request', 'to-do created', 'request completed'],
  )
  t.match(lines[1], { level: 30, todoId: 1 })
})

t.test('logLevel warn keeps everyday request lines out of the log', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, { logLevel: 'warn', logStream: logs.stream })
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  t.same(logs.lines(), [])
})

t.test('an unexpected error is logged in full, and the 500 names its request id', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, {
    logLevel: 'info',
    logStream: logs.stream,
    addRoutes: (app) => {
      app.get('/broken', async () => {
        throw new Error('the oven caught fire')
      })
    },
  })
  const res = await app.inject({ method: 'GET', url: '/broken' })
  const requestId = res.headers['x-request-id'] as string
  t.equal(res.statusCode, 500)
  t.match(res.json().message, requestId)
  t.notMatch(res.body, /oven/)
  const logged = logs.lines().find((line) => line.level === 50)
  t.match(logged, {
    reqId: requestId,
    msg: 'request failed',
    err: { message: 'the oven caught fire' },
  })
})

t.test('Authorization and Cookie headers never reach the log, even at trace level', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, {
    logLevel: 'trace',
    logStream: logs.stream,
    addRoutes: (app) => {
      app.get('/echo-headers', async (request) => {
        request.log.info({ headers: request.headers }, 'handling')
        return 'ok'
      })
    },
  })
  await app.inject({
    method: 'GET',
    url: '/echo-headers',
    headers: { authorization: 'Bearer top-secret', cookie: 'session=also-secret' },
  })
  const handling = logs.lines().find((line) => line.msg === 'handling')
  t.match(handling, { headers: { authorization: '[Redacted]', cookie: '[Redacted]' } })
  t.notMatch(logs.text(), /top-secret|also-secret/)
})
