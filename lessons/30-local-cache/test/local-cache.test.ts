import { setTimeout as sleep } from 'node:timers/promises'
import { cleanDatabase } from '@kitchen/db/testing'
import { privateTestRedis, testRedis } from '@kitchen/servers/testing'
import { captureLogs } from '@kitchen/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { LocalCache, MAX_ENTRIES } from '../src/local-cache.js'
import { appOnRedis, bearer, claims, me, signIn } from './helpers.js'

// The tests of the app need Redis, as cache.test.ts's do: each gets one from testRedis, or is
// skipped with the reason and how to install it. The tests of LocalCache itself need nothing.

/** Ask until `done` says yes, for 5 s at most, 5 ms apart: a message takes a few ms to come. */
async function until(done: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 1000 && !(await done()); i++) await sleep(5)
}

t.test(
  'a token let in a moment ago is let in from memory, with no user in Postgres or Redis, for 10 s',
  async (t) => {
    const found = await testRedis(t)
    if ('skip' in found) return
    let clock = Date.now()
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const { app, redis } = await appOnRedis(t, found.url, { databaseUrl, now: () => clock })
    const db = createDatabase(databaseUrl, () => {})
    t.teardown(() => db.destroy())
    const token = await signIn(app, 'ann@x.org')
    const first = await me(app, token)
    t.equal(first.statusCode, 200)
    // Behind the app's back: the user is gone from Postgres, and from Redis. Only memory has it.
    await db.deleteFrom('users').where('email', '=', 'ann@x.org').execute()
    await redis.del(`user:${claims(token).sub}`)
    const second = await me(app, token)
    t.equal(second.statusCode, 200, 'memory answered')
    t.same(second.json(), first.json())
    clock += 9_000
    t.equal((await me(app, token)).statusCode, 200, 'for 10 s')
    clock += 1_000
    const later = await me(app, token)
    t.equal(later.statusCode, 401, '10 s on, memory asks again: nobody')
    t.match(later.json(), { code: 'INVALID_TOKEN' })
  },
)

t.test('memory never answers for a token past its expiry: 401 TOKEN_EXPIRED', async (t) => {
  const found = await testRedis(t)
  if ('skip' in found) return
  let clock = Date.now()
  const { app } = await appOnRedis(t, found.url, { now: () => clock })
  const token = await signIn(app, 'ann@x.org')
  clock += 15 * 60_000 - 5_000 // 5 s of its 15 minutes left
  t.equal((await me(app, token)).statusCode, 200, 'kept in memory, for 5 s rather than 10')
  clock += 6_000
  const res = await me(app, token)
  t.equal(res.statusCode, 401)
  t.match(res.json(), { code: 'TOKEN_EXPIRED' })
})

t.test(
  'log-out on one copy of the app ends the token in every copy’s memory (TOKEN_REVOKED)',
  async (t) => {
    const found = await testRedis(t)
    if ('skip' in found) return
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const one = await appOnRedis(t, found.url, { databaseUrl }, 'logout-copies:')
    const two = await appOnRedis(t, found.url, { databaseUrl }, 'logout-copies:')
    const token = await signIn(one.app, 'ann@x.org')
    t.equal((await me(one.app, token)).statusCode, 200, 'in one’s memory')
    t.equal((await me(two.app, token)).statusCode, 200, 'in two’s memory')
    const out = await one.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(token),
    })
    t.equal(out.statusCode, 204)
    t.match((await me(one.app, token)).json(), { code: 'TOKEN_REVOKED' }, 'one forgot at once')
    // Two hears it from Redis a few ms later.
    await until(async () => (await me(two.app, token)).statusCode !== 200)
    const res = await me(two.app, token)
    t.equal(res.statusCode, 401)
    t.match(res.json(), { code: 'TOKEN_REVOKED' })
  },
)

t.test(
  'deleting the account on one copy of the app ends its tokens in every copy’s memory (401)',
  async (t) => {
    const found = await testRedis(t)
    if ('skip' in found) return
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const one = await appOnRedis(t, found.url, { databaseUrl }, 'delete-copies:')
    const two = await appOnRedis(t, found.url, { databaseUrl }, 'delete-copies:')
    const token = await signIn(one.app, 'ann@x.org')
    const other = await signIn(one.app, 'ann@x.org') // a second log-in: its token goes too
    for (const app of [one.app, two.app]) {
      t.equal((await me(app, token)).statusCode, 200)
      t.equal((await me(app, other)).statusCode, 200)
    }
    const gone = await one.app.inject({ method: 'DELETE', url: '/me', headers: bearer(token) })
    t.equal(gone.statusCode, 204)
    t.equal((await me(one.app, other)).statusCode, 401, 'one forgot at once')
    await until(async () => (await me(two.app, other)).statusCode !== 200)
    for (const tokenOfAnn of [token, other]) {
      const res = await me(two.app, tokenOfAnn)
      t.equal(res.statusCode, 401)
      t.match(res.json(), { code: 'INVALID_TOKEN' })
    }
  },
)

t.test(
  'cut off from Redis, memory is emptied and not trusted; once Redis is back, it answers again',
  async (t) => {
    const found = await privateTestRedis(t)
    if ('skip' in found) return
    const logs = captureLogs()
    const clock = Date.now() // stopped: nothing leaves memory by age in this test
    const options = { logLevel: 'info', logStream: logs.stream, now: () => clock } as const
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const { app, redis } = await appOnRedis(t, found.url, { ...options, databaseUrl })
    const db = createDatabase(databaseUrl, () => {})
    t.teardown(() => db.destroy())
    const said = (words: RegExp) => logs.lines().filter((line) => words.test(`${line.msg}`)).length
    const off = /^memory cache off, emptied \(subscriber: (close|end|error|reconnecting)\)$/
    const on = /^memory cache on \(subscriber: ready\)$/
    t.equal(said(on), 1, 'on from the start')
    const ann = await signIn(app, 'ann@x.org')
    const cat = await signIn(app, 'cat@x.org')
    t.equal((await me(app, ann)).statusCode, 200)
    t.equal((await me(app, cat)).statusCode, 200)
    await found.stop()
    await until(() => said(off) === 1)
    t.equal(said(off), 1, 'the log says so, once')
    // Changes behind the app's back while it cannot hear (as if it had missed their messages).
    await db.deleteFrom('users').where('email', 'in', ['ann@x.org', 'cat@x.org']).execute()
    t.equal((await me(app, ann)).statusCode, 401, 'memory did not answer: Postgres did, at once')

    const bob = await signIn(app, 'bob@x.org')
    await found.start()
    await until(() => said(on) === 2) // ioredis reconnects by itself, and we subscribe again
    t.equal(said(on), 2, 'listening again')
    t.equal((await me(app, cat)).statusCode, 401, 'memory came back empty: Cat is not let in')
    const key = `user:${claims(bob).sub}`
    // Redis answers the app again (its own connection reconnects too): Bob is kept, in both.
    await until(
      async () => (await me(app, bob)).statusCode === 200 && (await redis.exists(key)) > 0,
    )
    await db.deleteFrom('users').where('email', '=', 'bob@x.org').execute()
    await redis.del(key)
    t.equal((await me(app, bob)).statusCode, 200, 'memory answered again')
  },
)

// LocalCache itself, listening set by hand (no Redis): the rules the app relies on.

const ann = { id: 1, email: 'ann@x.org', createdAt: '2026-01-01T00:00:00.000Z' }
const bob = { id: 2, email: 'bob@x.org', createdAt: '2026-01-01T00:00:00.000Z' }
/** A memory that is listening, on a clock of its own, and a token's claims good for 15 min. */
function listeningMemory() {
  const clock = { now: 1_800_000_000_000 }
  const memory = new LocalCache(() => clock.now)
  memory.listening = true
  const exp = clock.now / 1000 + 15 * 60
  return { memory, clock, exp }
}

t.test(
  'LocalCache: an answer found before a forgetting is not kept (it may be stale)',
  async (t) => {
    const { memory, exp } = listeningMemory()
    const version = memory.version // a request notes it, then asks Redis and Postgres…
    memory.forget('token:jti-1') // …while a log-out message arrives…
    memory.set('token-1', { user: ann, jti: 'jti-1', exp }, version) // …then it answers: let in
    t.equal(memory.get('token-1'), undefined, 'not kept: the next request asks again')
    memory.set('token-1', { user: ann, jti: 'jti-1', exp }, memory.version)
    t.same(memory.get('token-1')?.user, ann, 'kept when nothing was forgotten meanwhile')
  },
)

t.test('LocalCache: when full, the oldest token goes', async (t) => {
  const { memory, exp } = listeningMemory()
  for (let i = 0; i < MAX_ENTRIES; i++) memory.set(`token-${i}`, { user: ann, jti: `${i}`, exp }, 0)
  t.ok(memory.get('token-0'), 'full')
  memory.set('one-more', { user: bob, jti: 'x', exp }, 0)
  t.equal(memory.get('token-0'), undefined, 'the oldest went')
  t.ok(memory.get('token-1'))
  t.ok(memory.get('one-more'))
})

t.test('LocalCache: forgetting a user forgets all their tokens, a token only itself', async (t) => {
  const { memory, exp } = listeningMemory()
  memory.set('ann-1', { user: ann, jti: 'a1', exp }, 0)
  memory.set('ann-2', { user: ann, jti: 'a2', exp }, 0)
  memory.set('bob-1', { user: bob, jti: 'b1', exp }, 0)
  memory.set('bob-2', { user: bob, jti: 'b2', exp }, 0)
  memory.forget('token:b1')
  t.equal(memory.get('bob-1'), undefined)
  t.ok(memory.get('bob-2'), 'the same user’s other token stays')
  memory.forget('user:1')
  t.equal(memory.get('ann-1'), undefined)
  t.equal(memory.get('ann-2'), undefined)
  t.ok(memory.get('bob-2'), 'another user’s stays')
})

t.test('LocalCache: an entry lasts 10 s at most, and never past its token’s expiry', async (t) => {
  const { memory, clock, exp } = listeningMemory()
  memory.set('token-1', { user: ann, jti: 'j1', exp }, 0)
  memory.set('nearly-expired', { user: ann, jti: 'j2', exp: clock.now / 1000 + 3 }, 0)
  clock.now += 2_999
  t.ok(memory.get('nearly-expired'))
  clock.now += 1
  t.equal(memory.get('nearly-expired'), undefined, 'gone when its token expires')
  clock.now += 6_999
  t.ok(memory.get('token-1'))
  clock.now += 1
  t.equal(memory.get('token-1'), undefined, 'gone after 10 s')
})

t.test('LocalCache: not listening, it answers nothing and keeps nothing', async (t) => {
  const { memory, exp } = listeningMemory()
  memory.set('token-1', { user: ann, jti: 'j1', exp }, 0)
  memory.listening = false
  t.equal(memory.get('token-1'), undefined, 'answers nothing')
  memory.set('token-2', { user: ann, jti: 'j2', exp }, memory.version)
  memory.listening = true
  t.equal(memory.get('token-2'), undefined, 'kept nothing')
})

t.test('LocalCache: without Redis it never listens, so the app runs as in lesson 29', async (t) => {
  const memory = new LocalCache(Date.now)
  await memory.listen()
  t.equal(memory.listening, false)
  memory.close()
})
