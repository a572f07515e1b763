import { fileURLToPath } from 'node:url'
import { cleanDatabase, testDatabase } from '@kitchen/db/testing'
import { privateTestRedis, testRedis } from '@kitchen/servers/testing'
import { captureLogs, runScript } from '@kitchen/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import {
  type App,
  anonymousAppForTest,
  appOnRedis,
  bearer,
  claims,
  me,
  password,
  signIn,
} from './helpers.js'

// Each test gets a Redis of its own from testRedis (a redis-server on a free port, or your
// REDIS_URL), or is skipped with the reason and how to install Redis. The tests of Redis going
// away stop or freeze a redis-server of their own (privateTestRedis).

const sqlCount = (logs: ReturnType<typeof captureLogs>) =>
  logs.lines().filter((line) => line.msg === 'sql').length
const DOWN = 'Redis is down: answering from Postgres, slower'
const BACK = 'Redis is back: using it again'

/** Log in (the account exists): the access token and the refresh token's cookie. */
async function logIn(app: App, email: string) {
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
  const cookie = res.cookies.find((c) => c.name === 'refresh_token')?.value ?? ''
  return { token: res.json().accessToken as string, cookie }
}

t.test('the signed-in user is kept in Redis for 60 s: the next request sends no SQL', async (t) => {
  const found = await testRedis(t)
  if ('skip' in found) return
  const logs = captureLogs()
  const options = { logLevel: 'info', logStream: logs.stream, logSql: true } as const
  const { app, redis } = await appOnRedis(t, found.url, options)
  const token = await signIn(app, 'ann@x.org')
  const first = await me(app, token)
  t.equal(first.statusCode, 200)
  const key = `user:${first.json().id}`
  t.same(JSON.parse((await redis.get(key)) ?? 'null'), first.json(), 'the user, as JSON')
  const ttl = await redis.ttl(key)
  t.ok(ttl > 50 && ttl <= 60, `kept for ${ttl} more seconds`)
  const before = sqlCount(logs)
  const second = await me(app, token)
  t.same(second.json(), first.json())
  t.equal(sqlCount(logs), before, 'no SQL: the user came from Redis')
})

t.test('DELETE /me deletes the account and everything in it (204)', async (t) => {
  const app = await anonymousAppForTest(t)
  const headers = bearer(await signIn(app, 'ann@x.org'))
  await app.inject({ method: 'POST', url: '/todos', headers, payload: { title: 'Buy milk' } })
  await app.inject({ method: 'POST', url: '/lists', headers, payload: { name: 'Shopping' } })
  const res = await app.inject({ method: 'DELETE', url: '/me', headers })
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  const login = { email: 'ann@x.org', password }
  const again = await app.inject({ method: 'POST', url: '/auth/login', payload: login })
  t.equal(again.statusCode, 401, 'the account is gone')
  const fresh = bearer(await signIn(app, 'ann@x.org')) // the email is free again
  t.same((await app.inject({ method: 'GET', url: '/todos', headers: fresh })).json(), [])
  t.same((await app.inject({ method: 'GET', url: '/lists', headers: fresh })).json(), [])
})

t.test(
  'a deleted user’s token is refused at once (401), though the user was cached, on every copy of the app',
  async (t) => {
    const found = await testRedis(t)
    if ('skip' in found) return
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const one = await appOnRedis(t, found.url, { databaseUrl }, 'copies1:')
    const two = await appOnRedis(t, found.url, { databaseUrl }, 'copies1:')
    const token = await signIn(one.app, 'ann@x.org')
    t.equal((await me(one.app, token)).statusCode, 200)
    t.equal((await me(two.app, token)).statusCode, 200)
    const key = `user:${claims(token).sub}`
    t.equal(await one.redis.exists(key), 1, 'cached')
    const deleted = await one.app.inject({ method: 'DELETE', url: '/me', headers: bearer(token) })
    t.equal(deleted.statusCode, 204)
    t.equal(await one.redis.exists(key), 0, 'forgotten')
    for (const { app } of [one, two]) {
      const res = await me(app, token)
      t.equal(res.statusCode, 401)
      t.match(res.json(), { code: 'INVALID_TOKEN' })
    }
  },
)

t.test(
  'a user deleted behind the app’s back (SQL) is let in until the cached copy expires',
  async (t) => {
    const found = await testRedis(t)
    if ('skip' in found) return
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const { app, redis } = await appOnRedis(t, found.url, { databaseUrl })
    const db = createDatabase(databaseUrl, () => {})
    t.teardown(() => db.destroy())
    const token = await signIn(app, 'ann@x.org')
    t.equal((await me(app, token)).statusCode, 200)
    await db.deleteFrom('users').where('email', '=', 'ann@x.org').execute()
    t.equal((await me(app, token)).statusCode, 200, 'still let in: the cache was not told')
    await redis.del(`user:${claims(token).sub}`) // what its TTL does, within 60 seconds
    t.equal((await me(app, token)).statusCode, 401)
  },
)

t.test(
  'logging out with the access token denies it: 401 TOKEN_REVOKED until it expires',
  async (t) => {
    const found = await testRedis(t)
    if ('skip' in found) return
    let clock = Date.now()
    const { app, redis } = await appOnRedis(t, found.url, { now: () => clock })
    await signIn(app, 'ann@x.org')
    const { token, cookie } = await logIn(app, 'ann@x.org')
    clock += 10 * 60_000 // 10 of its 15 minutes later
    const out = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(token),
      cookies: { refresh_token: cookie },
    })
    t.equal(out.statusCode, 204)
    const res = await me(app, token)
    t.equal(res.statusCode, 401)
    t.same(res.json(), {
      statusCode: 401,
      code: 'TOKEN_REVOKED',
      error: 'Unauthorized',
      message: 'This token was logged out: log in again.',
    })
    t.equal(res.headers['www-authenticate'], 'Bearer')
    const ttl = await redis.ttl(`denied:${claims(token).jti}`)
    t.ok(ttl > 290 && ttl <= 300, `denied for the ${ttl} seconds it had left, not longer`)
    const next = await logIn(app, 'ann@x.org')
    t.equal((await me(app, next.token)).statusCode, 200, 'a new log-in’s token works')
  },
)

t.test(
  'logging out with only the cookie leaves the access token working (lesson 20)',
  async (t) => {
    const found = await testRedis(t)
    if ('skip' in found) return
    const { app } = await appOnRedis(t, found.url)
    await signIn(app, 'ann@x.org')
    const { token, cookie } = await logIn(app, 'ann@x.org')
    await app.inject({ method: 'POST', url: '/auth/logout', cookies: { refresh_token: cookie } })
    t.equal((await me(app, token)).statusCode, 200)
  },
)

t.test('two copies of the app on one Redis share the log-in counts', async (t) => {
  const found = await testRedis(t)
  if ('skip' in found) return
  const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
  const one = await appOnRedis(t, found.url, { databaseUrl }, 'copies2:')
  const two = await appOnRedis(t, found.url, { databaseUrl }, 'copies2:')
  await signIn(one.app, 'ann@x.org')
  const wrong = { email: 'ann@x.org', password: 'a wrong guess' }
  for (const { app } of [one, two, one, two, one]) {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: wrong })
    t.equal(res.statusCode, 401)
  }
  const right = { email: 'ann@x.org', password }
  const sixth = await two.app.inject({ method: 'POST', url: '/auth/login', payload: right })
  t.equal(sixth.statusCode, 429, 'the 6th is refused, whichever copy it reaches')
  const key = 'login:127.0.0.1|ann@x.org'
  t.equal(await one.redis.get(key), '5')
  const ttl = await one.redis.pttl(key)
  t.ok(ttl > 0 && ttl <= 60_000, 'for a minute from the first attempt, by Redis’s clock')
  t.equal(Number(sixth.headers['retry-after']), Math.ceil(ttl / 1000))
})

t.test(
  'Redis stopped: requests still answer, from Postgres; one warning in the log; log-ins counted in memory',
  async (t) => {
    const found = await privateTestRedis(t)
    if ('skip' in found) return
    const logs = captureLogs()
    const { app } = await appOnRedis(t, found.url, { logLevel: 'warn', logStream: logs.stream })
    const token = await signIn(app, 'ann@x.org')
    t.equal((await me(app, token)).statusCode, 200)
    await found.stop()
    for (let i = 0; i < 3; i++) t.equal((await me(app, token)).statusCode, 200, 'from Postgres')
    const todo = { title: 'Buy milk' }
    const created = await app.inject({
      method: 'POST',
      url: '/todos',
      headers: bearer(token),
      payload: todo,
    })
    t.equal(created.statusCode, 201)
    const warnings = logs.lines().filter((line) => line.msg === DOWN)
    t.equal(warnings.length, 1, 'one warning, not one a request')
    const wrong = { email: 'ann@x.org', password: 'a wrong guess' }
    for (let attempt = 1; attempt <= 5; attempt++) {
      await app.inject({ method: 'POST', url: '/auth/login', payload: wrong })
    }
    const sixth = await app.inject({ method: 'POST', url: '/auth/login', payload: wrong })
    t.equal(sixth.statusCode, 429, 'still limited, in this app’s memory')
  },
)

t.test(
  'Redis hanging (paused): answers come from Postgres; when it is back, the log says so and the cache is used again',
  async (t) => {
    const found = await privateTestRedis(t)
    if ('skip' in found) return
    t.teardown(() => found.resume())
    const logs = captureLogs()
    const options = { logLevel: 'info', logStream: logs.stream, logSql: true } as const
    const { app } = await appOnRedis(t, found.url, options)
    const token = await signIn(app, 'ann@x.org')
    t.equal((await me(app, token)).statusCode, 200)
    found.pause()
    const before = sqlCount(logs)
    t.equal((await me(app, token)).statusCode, 200)
    t.equal(sqlCount(logs), before + 1, 'from Postgres')
    found.resume()
    t.equal((await me(app, token)).statusCode, 200)
    const messages = logs.lines().map((line) => line.msg)
    t.ok(messages.indexOf(DOWN) >= 0 && messages.indexOf(DOWN) < messages.indexOf(BACK))
    const after = sqlCount(logs)
    t.equal((await me(app, token)).statusCode, 200)
    t.equal(sqlCount(logs), after, 'from Redis again')
  },
)

t.test(
  'while Redis is down, a logged-out token is let in (as before this lesson); refused again once it is back',
  async (t) => {
    const found = await privateTestRedis(t)
    if ('skip' in found) return
    t.teardown(() => found.resume())
    const { app } = await appOnRedis(t, found.url)
    await signIn(app, 'ann@x.org')
    const { token } = await logIn(app, 'ann@x.org')
    await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) })
    t.equal((await me(app, token)).statusCode, 401)
    found.pause()
    t.equal((await me(app, token)).statusCode, 200, 'Redis cannot say: let in')
    found.resume()
    t.match((await me(app, token)).json(), { code: 'TOKEN_REVOKED' })
  },
)

t.test('an app started while Redis is down answers, and uses Redis once it is up', async (t) => {
  const found = await privateTestRedis(t)
  if ('skip' in found) return
  await found.stop()
  const { app, redis } = await appOnRedis(t, found.url)
  const token = await signIn(app, 'ann@x.org')
  t.equal((await me(app, token)).statusCode, 200)
  await found.start()
  // The app tries again by itself, sooner or later (ioredis waits longer after each failure).
  const key = `user:${claims(token).sub}`
  for (let i = 0; i < 100 && !(await redis.exists(key)); i++) {
    t.equal((await me(app, token)).statusCode, 200)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  t.equal(await redis.exists(key), 1, 'the user is cached: Redis is in use')
})

t.test(
  'a REDIS_URL that does not answer at start-up is a warning: the server starts',
  async (t) => {
    const server = runScript(fileURLToPath(new URL('..', import.meta.url)), 'src/server.ts', {
      env: { PORT: '0', DATABASE_URL: await testDatabase(t), REDIS_URL: 'redis://127.0.0.1:1' },
    })
    t.teardown(async () => {
      server.child.kill('SIGTERM')
      await server.exited
    })
    t.ok(await server.waitFor(/Server ready at/), server.output())
    t.match(
      server.output(),
      /Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*\nStarting without it/,
    )
  },
)
