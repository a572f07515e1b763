import { fileURLToPath } from 'node:url'
import { privateTestServer } from '@kitchen/db/testing'
import { captureLogs, runScript } from '@kitchen/testing'
import t from 'tap'
import { migrateToLatest } from '../src/db/migrate.js'
import { appForTest } from './helpers.js'

const lessonDir = fileURLToPath(new URL('..', import.meta.url))

t.test('a stopped database gives 503s, and the app recovers when it is back', async (t) => {
  // A Postgres server of this test's own, so stopping it disturbs no other test.
  const server = await privateTestServer(t)
  await migrateToLatest(server.url)
  const logs = captureLogs()
  const app = await appForTest(t, {
    databaseUrl: server.url,
    logLevel: 'warn',
    logStream: logs.stream,
  })
  const created = await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Before' } })
  t.equal(created.statusCode, 201)

  await server.stop()
  for (const request of [
    { method: 'GET', url: '/todos' },
    { method: 'POST', url: '/todos', payload: { title: 'During' } },
  ] as const) {
    const res = await app.inject(request)
    t.equal(res.statusCode, 503, `${request.method} ${request.url}`)
    t.same(res.json(), {
      statusCode: 503,
      code: 'DATABASE_UNAVAILABLE',
      error: 'Service Unavailable',
      message: 'The database is not available right now. Please try again in a moment.',
    })
  }

  t.match(logs.text(), /ECONNREFUSED/, 'the log has the real cause')
  // Lesson 28: not ready (send requests elsewhere), but alive (restarting it would not help).
  const ready = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503, 'GET /ready')
  t.match(ready.json(), { code: 'NOT_READY', error: 'Service Unavailable' })
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'GET /health')

  await server.start()
  const after = await app.inject({ method: 'GET', url: '/todos' })
  t.equal(after.statusCode, 200, 'the same app answers again without a restart')
  t.match(after.json(), [{ title: 'Before' }])
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, 'ready again')
})

t.test(
  'a database that stops answering gives 503s, not a hang; it recovers by itself',
  async (t) => {
    const server = await privateTestServer(t)
    await migrateToLatest(server.url)
    const app = await appForTest(t, { databaseUrl: server.url })
    const created = await app.inject({
      method: 'POST',
      url: '/todos',
      payload: { title: 'Before' },
    })
    t.equal(created.statusCode, 201)

    // Frozen (SIGSTOP), as a hung machine would be: connections stay open, nothing answers.
    server.pause()
    t.teardown(() => server.resume())
    const requests = Array.from({ length: 15 }, (_, i) => ({
      method: 'GET' as const,
      url: i % 3 === 0 ? '/todos' : '/ready',
    }))
    const answers = await Promise.all(requests.map((request) => app.inject(request)))
    for (const [i, res] of answers.entries()) {
      t.equal(res.statusCode, 503)
      // /ready waits a second at most for the database (lesson 28): then it says NOT_READY.
      const code = requests[i]?.url === '/ready' ? 'NOT_READY' : 'DATABASE_UNAVAILABLE'
      t.match(res.json(), { code, error: 'Service Unavailable' })
      t.equal(res.headers['retry-after'], '5', 'says when to try again')
    }

    server.resume()
    const after = await app.inject({ method: 'GET', url: '/todos' })
    t.equal(after.statusCode, 200, 'the same app answers again without a restart')
    t.match(after.json(), [{ title: 'Before' }])
  },
)

t.test('an unreachable database at start-up stops the server with a clear message', async (t) => {
  const server = runScript(lessonDir, 'src/server.ts', {
    env: { PORT: '0', DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nothing' },
  })
  const code = await server.exited
  const output = server.output()
  t.equal(code, 1)
  t.match(output, /127\.0\.0\.1:1/, 'names where it tried')
  t.notMatch(output, /secret/, 'does not print the password')
  t.match(output, /DATABASE_URL/, 'says what to do')
  t.notMatch(output, /at .*\.(ts|js):\d+/, 'no stack trace')
})
