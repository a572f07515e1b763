import { captureLogs } from '@kitchen/core/testing'
import t from 'tap'
import { appForTest, asUser } from './helpers.js'

t.test('each answer carries its request id in the X-Request-Id header', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('log lines of one request share its request id', async (t) => {
  const logs = captureLogs()
  const app = await asUser(await appForTest(t, { logLevel: 'info', logStream: logs.stream }))
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  const requestId = res.headers['x-request-id']
  const lines = logs.lines().filter((line) => line.reqId === requestId)
  t.same(
    lines.map((line) => line.msg),
    ['incoming request', 'to-do created', 'request completed'],
  )
  t.match(lines[1], { level: 30, todoId: 1 })
})

t.test('LOG_LEVEL=warn keeps everyday request lines out of the log', async (t) => {
  const logs = captureLogs()
  const app = await asUser(await appForTest(t, { logLevel: 'warn', logStream: logs.stream }))
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  t.same(logs.lines(), [])
})

t.test(
  'an unexpected error is logged in full, but the caller only sees a 500 and the id',
  async (t) => {
    const logs = captureLogs()
    const app = await appForTest(t, { logLevel: 'info', logStream: logs.stream }, (app) => {
      app.get('/broken', async () => {
        throw new Error('the oven caught fire')
      })
    })
    const res = await app.inject({ method: 'GET', url: '/broken' })
    t.equal(res.statusCode, 500)
    t.equal(res.json().code, 'INTERNAL_ERROR')
    t.notMatch(res.body, /oven/)
    const logged = logs.lines().find((line) => line.level === 50)
    t.match(logged, {
      reqId: res.headers['x-request-id'],
      err: { message: 'the oven caught fire' },
    })
  },
)
