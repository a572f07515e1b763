import { once } from 'node:events'
import { request as httpRequest } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { testDatabase } from '@kitchen/db/testing'
import { privateTestRedis } from '@kitchen/servers/testing'
import { runScript } from '@kitchen/testing'
import t from 'tap'
import { shutdown } from '../src/readiness.js'
import { anonymousAppForTest, password, testRedisUrl } from './helpers.js'

const shuttingDown = {
  statusCode: 503,
  code: 'SHUTTING_DOWN',
  error: 'Service Unavailable',
  message: 'The server is shutting down: retry.',
}

t.test('GET /ready answers 200 when the database answers, and says how Redis is', async (t) => {
  const app = await anonymousAppForTest(t)
  const res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 200)
  const redis = testRedisUrl ? 'ok' : 'not configured'
  t.same(res.json(), { status: 'ready', database: 'ok', redis })
  const withoutRedis = await anonymousAppForTest(t, { redisUrl: undefined })
  t.same((await withoutRedis.inject({ method: 'GET', url: '/ready' })).json(), {
    status: 'ready',
    database: 'ok',
    redis: 'not configured',
  })
})

t.test('with Redis down, GET /ready still answers 200: the app serves from Postgres', async (t) => {
  const redis = await privateTestRedis(t)
  if ('skip' in redis) return
  const app = await anonymousAppForTest(t, { redisUrl: redis.url })
  t.match((await app.inject({ method: 'GET', url: '/ready' })).json(), { redis: 'ok' })
  await redis.stop()
  const res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ready', database: 'ok', redis: 'down' })
})

t.test(
  'a draining app answers /ready with 503 SHUTTING_DOWN, and every other request as usual',
  async (t) => {
    const app = await anonymousAppForTest(t)
    app.drain()
    const ready = await app.inject({ method: 'GET', url: '/ready' })
    t.equal(ready.statusCode, 503)
    t.same(ready.json(), shuttingDown)
    t.equal(ready.headers['retry-after'], '5')
    const health = await app.inject({ method: 'GET', url: '/health' })
    t.equal(health.statusCode, 200, 'still alive: nobody should restart it')
    const account = { email: 'late@x.org', password }
    const signup = await app.inject({ method: 'POST', url: '/auth/signup', payload: account })
    t.equal(signup.statusCode, 201, 'and it still serves the requests that reach it')
  },
)

t.test(
  'shutdown: a request in flight when the app stops listening is answered, then it closes',
  async (t) => {
    let arrived = () => {}
    const arriving = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const app = await anonymousAppForTest(t, {
      addRoutes: (app) => {
        app.post('/echo', async (request) => request.body)
        app.addHook('onRequest', async () => arrived())
      },
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk
    })
    // The headers now, the body once the app has stopped listening: a slow client.
    const body = JSON.stringify({ title: 'Late' })
    socket.write(
      `POST /echo HTTP/1.1\r\nHost: kitchen\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    )
    await arriving
    const closed = shutdown(app, 0) // what SIGTERM runs (server.ts), without the drain
    while (app.server.listening) await sleep(5)
    const refused = connect(port, '127.0.0.1')
    const [error] = await once(refused, 'error')
    t.equal(error.code, 'ECONNREFUSED', 'a new connection is refused: NGINX tries the other copy')
    socket.write(body)
    await Promise.all([closed, once(socket, 'close')])
    t.match(answer, /^HTTP\/1\.1 200 OK\r\n/, 'not a 503: the request had arrived')
    t.match(answer, /\r\nconnection: close\r\n/i)
    t.same(JSON.parse(answer.split('\r\n\r\n')[1] ?? ''), { title: 'Late' })
  },
)

/** GET over a connection of its own, closed after the answer (fetch would keep it open). */
function get(url: string) {
  return new Promise<{ status?: number; body: string }>((resolve, reject) => {
    httpRequest(url, { agent: false }, (res) => {
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode, body }))
    })
      .on('error', reject)
      .end()
  })
}

t.test(
  'on SIGTERM the server drains (/ready 503, /health 200), then stops and exits with 0',
  async (t) => {
    const lesson = fileURLToPath(new URL('..', import.meta.url))
    const env = { PORT: '0', DATABASE_URL: await testDatabase(t), DRAIN_SECONDS: '2' }
    const server = runScript(lesson, 'src/server.ts', { env })
    t.teardown(() => server.child.kill('SIGKILL'))
    const url = (await server.waitFor(/Server ready at (http:\/\/\S+)/))?.[1] ?? ''
    t.ok(url, server.output())
    t.equal((await get(`${url}/ready`)).status, 200, 'ready before')
    server.child.kill('SIGTERM')
    t.ok(await server.waitFor(/draining/), 'it says so in its log')
    const [ready, health] = await Promise.all([get(`${url}/ready`), get(`${url}/health`)])
    t.equal(ready.status, 503)
    t.same(JSON.parse(ready.body), shuttingDown)
    t.equal(health.status, 200)
    t.equal(await server.exited, 0)
  },
)
