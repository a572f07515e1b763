import { createHmac } from 'node:crypto'
import { testDatabase } from '@kitchen/db/testing'
import { captureLogs } from '@kitchen/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { anonymousAppForTest, password, serverForTest, signIn, testJwtSecret } from './helpers.js'

// One app, one database and one signed-in user for the whole file. The app's clock is ours:
// the expiry test moves it on instead of waiting 15 minutes.
let clock = Date.now()
const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
const app = await anonymousAppForTest(t, { databaseUrl, now: () => clock })
const token = await signIn(app, 'ann@x.org')
const db = createDatabase(databaseUrl, () => {})
t.teardown(() => db.destroy())

const errorShape = { statusCode: 401, error: 'Unauthorized', message: String }

/** GET /me with this Authorization header (none when left out). */
function me(authorization?: string) {
  return app.inject({ method: 'GET', url: '/me', headers: authorization ? { authorization } : {} })
}

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')

/** A JWT made by hand: base64url(header) . base64url(payload) . HMAC-SHA256 of both. */
function makeToken(payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const unsigned = `${encode(header)}.${encode(payload)}`
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url')
  return `${unsigned}.${signature}`
}

/** A payload like ours: Ann (user 1), made now, good for 15 minutes. */
function claims(sub = '1') {
  const now = Math.floor(clock / 1000)
  return { sub, iat: now, exp: now + 900 }
}

t.test('GET /me answers the signed-in user: id, email and date, never the hash', async (t) => {
  const res = await me(`Bearer ${token}`)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id: 1, email: 'ann@x.org', createdAt: String })
  t.same(Object.keys(res.json()).sort(), ['createdAt', 'email', 'id'])
  t.equal(res.headers['www-authenticate'], undefined)
})

t.test('every to-do, list and /me route answers 401 MISSING_TOKEN without a token', async (t) => {
  const requests = [
    { method: 'GET', url: '/me' },
    { method: 'GET', url: '/todos' },
    { method: 'POST', url: '/todos', payload: { title: 'Buy milk' } },
    { method: 'GET', url: '/todos/1' },
    { method: 'PATCH', url: '/todos/1', payload: { done: true } },
    { method: 'DELETE', url: '/todos/1' },
    { method: 'POST', url: '/todos/move', payload: { todoIds: [1], listId: 1 } },
    { method: 'GET', url: '/lists' },
    { method: 'POST', url: '/lists', payload: { name: 'Shopping' } },
    { method: 'DELETE', url: '/lists/1' },
  ] as const
  for (const request of requests) {
    const res = await app.inject(request)
    t.equal(res.statusCode, 401, `${request.method} ${request.url}`)
    t.match(res.json(), { ...errorShape, code: 'MISSING_TOKEN' })
    t.equal(res.headers['www-authenticate'], 'Bearer')
  }
})

t.test('health, sign-up and log-in stay open to everybody', async (t) => {
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  const payload = { email: 'bob@x.org', password }
  t.equal((await app.inject({ method: 'POST', url: '/auth/signup', payload })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/auth/login', payload })).statusCode, 200)
})

t.test('a stranger is refused before the body is even checked', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { nonsense: 1 } })
  t.equal(res.statusCode, 401, 'not a 400 that describes our schema')
})

t.test('a malformed Authorization header answers 401 MALFORMED_TOKEN', async (t) => {
  for (const authorization of ['Bearer', 'Basic abc', 'Token abc', token, `Bearer ${token} x`]) {
    const res = await me(authorization)
    t.equal(res.statusCode, 401, authorization)
    t.match(res.json(), { ...errorShape, code: 'MALFORMED_TOKEN' })
  }
})

t.test('"bearer" in small letters works: HTTP auth schemes ignore case', async (t) => {
  t.equal((await me(`bearer ${token}`)).statusCode, 200)
})

t.test('a token that is not a JWT answers 401 INVALID_TOKEN', async (t) => {
  for (const notAToken of ['a.b', 'abc', 'a.b.c', '...', 'eyJhbGciOiJIUzI1NiJ9.e30.x']) {
    const res = await me(`Bearer ${notAToken}`)
    t.equal(res.statusCode, 401, notAToken)
    t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
  }
})

t.test('a token made by hand with the right secret is accepted (the check is real)', async (t) => {
  t.equal((await me(`Bearer ${makeToken(claims(), testJwtSecret)}`)).statusCode, 200)
})

t.test('a signed token whose subject is not a user id answers 401 INVALID_TOKEN', async (t) => {
  const subjects = [[1], true, 1, '1.5', '0x1', ' 1 ', '1e0', '0', '-1', '99999999999', '', null]
  for (const sub of subjects) {
    const res = await me(`Bearer ${makeToken({ ...claims(), sub }, testJwtSecret)}`)
    t.equal(res.statusCode, 401, `sub: ${JSON.stringify(sub)}`)
    t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
  }
})

t.test('a signed token without a subject or an expiry answers 401 INVALID_TOKEN', async (t) => {
  const { sub, ...noSubject } = claims()
  const { exp, ...noExpiry } = claims()
  for (const payload of [noSubject, noExpiry]) {
    const res = await me(`Bearer ${makeToken(payload, testJwtSecret)}`)
    t.equal(res.statusCode, 401, JSON.stringify(payload))
    t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
    t.equal(res.headers['www-authenticate'], 'Bearer')
  }
})

t.test('a token signed with another secret answers 401 INVALID_TOKEN', async (t) => {
  const res = await me(`Bearer ${makeToken(claims(), 'somebody-elses-secret-0123456789abcdef')}`)
  t.equal(res.statusCode, 401)
  t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
})

t.test('changing the user id inside a token breaks its signature (401)', async (t) => {
  const [header, , signature] = token.split('.')
  const res = await me(`Bearer ${header}.${encode(claims('2'))}.${signature}`)
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'INVALID_TOKEN')
})

t.test('an unsigned token (alg "none") answers 401 INVALID_TOKEN', async (t) => {
  const res = await me(`Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`)
  t.equal(res.statusCode, 401)
  t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
})

t.test('a token signed with another algorithm (HS512) answers 401 INVALID_TOKEN', async (t) => {
  const unsigned = `${encode({ alg: 'HS512', typ: 'JWT' })}.${encode(claims())}`
  const signature = createHmac('sha512', testJwtSecret).update(unsigned).digest('base64url')
  const res = await me(`Bearer ${unsigned}.${signature}`)
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'INVALID_TOKEN')
})

t.test('a token works for 15 minutes, then answers 401 TOKEN_EXPIRED', async (t) => {
  const start = clock
  t.teardown(() => {
    clock = start
  })
  const fresh = await signIn(app, 'ann@x.org')
  clock += 14 * 60 * 1000
  t.equal((await me(`Bearer ${fresh}`)).statusCode, 200)
  clock += 2 * 60 * 1000 // 16 minutes after log-in
  const res = await me(`Bearer ${fresh}`)
  t.equal(res.statusCode, 401)
  t.same(res.json(), {
    statusCode: 401,
    code: 'TOKEN_EXPIRED',
    error: 'Unauthorized',
    message: 'The token has expired: log in again.',
  })
})

t.test('the token of a deleted user answers 401 INVALID_TOKEN', async (t) => {
  const cats = await signIn(app, 'cat@x.org')
  await db.deleteFrom('users').where('email', '=', 'cat@x.org').execute()
  const res = await app.inject({
    method: 'GET',
    url: '/todos',
    headers: { authorization: `Bearer ${cats}` },
  })
  t.equal(res.statusCode, 401)
  t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
})

t.test('a token from an app with another secret does not work here', async (t) => {
  const other = await anonymousAppForTest(t, { databaseUrl, jwtSecret: 'x'.repeat(40) })
  const theirs = `Bearer ${await signIn(other, 'ann@x.org')}`
  t.equal(
    (await other.inject({ method: 'GET', url: '/me', headers: { authorization: theirs } }))
      .statusCode,
    200,
  )
  t.equal((await me(theirs)).statusCode, 401)
})

t.test('the to-do routes work as before for a signed-in user', async (t) => {
  const headers = { authorization: `Bearer ${token}` }
  const payload = { title: 'Buy milk' }
  const created = await app.inject({ method: 'POST', url: '/todos', payload, headers })
  t.equal(created.statusCode, 201)
  const todos = await app.inject({ method: 'GET', url: '/todos', headers })
  t.match(todos.json(), [{ title: 'Buy milk' }])
})

t.test('neither the password nor the token appears in the log', async (t) => {
  const logs = captureLogs()
  const logged = await anonymousAppForTest(t, {
    databaseUrl,
    logLevel: 'trace',
    logStream: logs.stream,
  })
  const theirs = await signIn(logged, 'dan@x.org')
  await logged.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${theirs}` } })
  t.match(logs.text(), 'user logged in')
  t.notMatch(logs.text(), theirs)
  t.notMatch(logs.text(), password)
})

t.test(
  'over real HTTP: sign up, log in, use the token; no token and alg "none" get 401',
  async (t) => {
    const url = await serverForTest(t)
    const json = { 'content-type': 'application/json' }
    const body = JSON.stringify({ email: 'ann@x.org', password })
    const signup = await fetch(`${url}/auth/signup`, { method: 'POST', headers: json, body })
    t.equal(signup.status, 201)
    const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body })
    const { accessToken } = (await login.json()) as { accessToken: string }

    const ok = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` } })
    t.equal(ok.status, 200)
    t.match(await ok.json(), { email: 'ann@x.org' })

    const none = await fetch(`${url}/me`)
    t.equal(none.status, 401)
    t.equal(none.headers.get('www-authenticate'), 'Bearer')
    t.match(await none.json(), { code: 'MISSING_TOKEN' })

    const [, payload] = accessToken.split('.')
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`
    const forged = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${unsigned}` } })
    t.equal(forged.status, 401)
    t.match(await forged.json(), { code: 'INVALID_TOKEN' })
  },
)
