import { createHmac } from 'node:crypto'
import { captureLogs, testApp } from '@kitchen/core/testing'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { createDatabase } from '../src/db/database.js'
import {
  appForTest,
  asUser,
  databaseForTest,
  serverForTest,
  signUpAndLogIn,
  testJwtSecret,
} from './helpers.js'

const errorShape = { statusCode: 401, error: 'Unauthorized', message: String }

/** A JWT made by hand: base64url(header) . base64url(payload) . HMAC-SHA256 of both. */
function makeToken(payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
  const unsigned = `${encode(header)}.${encode(payload)}`
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url')
  return `${unsigned}.${signature}`
}

/** A payload like ours: user 1, made now, good for 15 minutes. */
function claims(sub = '1') {
  const now = Math.floor(Date.now() / 1000)
  return { sub, iat: now, exp: now + 900 }
}

t.test('GET /me answers the signed-in user: id, email and date, never the hash', async (t) => {
  const app = await appForTest(t)
  const { authHeader } = await signUpAndLogIn(app, 'ann@x.org')
  const res = await app.inject({ method: 'GET', url: '/me', headers: authHeader })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id: 1, email: 'ann@x.org', createdAt: String })
  t.same(Object.keys(res.json()).sort(), ['createdAt', 'email', 'id'])
})

t.test('every to-do, list and /me route answers 401 MISSING_TOKEN without a token', async (t) => {
  const app = await appForTest(t)
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

t.test('a stranger is refused before the body is even checked', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { nonsense: 1 } })
  t.equal(res.statusCode, 401, 'not a 400 that describes our schema')
})

t.test('a malformed Authorization header answers 401 MALFORMED_TOKEN', async (t) => {
  const app = await appForTest(t)
  const { token } = await signUpAndLogIn(app)
  for (const authorization of ['Bearer', 'Basic abc', 'Token abc', token, `Bearer ${token} x`]) {
    const res = await app.inject({ method: 'GET', url: '/me', headers: { authorization } })
    t.equal(res.statusCode, 401, authorization)
    t.match(res.json(), { ...errorShape, code: 'MALFORMED_TOKEN' })
  }
})

t.test('"bearer" in small letters works: HTTP auth schemes ignore case', async (t) => {
  const app = await appForTest(t)
  const { token } = await signUpAndLogIn(app)
  const res = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `bearer ${token}` },
  })
  t.equal(res.statusCode, 200)
})

t.test('a token that is not a JWT answers 401 INVALID_TOKEN', async (t) => {
  const app = await appForTest(t)
  for (const token of ['a.b', 'abc', 'a.b.c', '...', 'eyJhbGciOiJIUzI1NiJ9.e30.x']) {
    const res = await app.inject({
      method: 'GET',
      url: '/me',
      headers: { authorization: `Bearer ${token}` },
    })
    t.equal(res.statusCode, 401, token)
    t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
  }
})

t.test('a token made by hand with the right secret is accepted (the check is real)', async (t) => {
  const app = await appForTest(t)
  await signUpAndLogIn(app)
  const token = makeToken(claims(), testJwtSecret)
  const res = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${token}` },
  })
  t.equal(res.statusCode, 200)
})

t.test('a token signed with another secret answers 401 INVALID_TOKEN', async (t) => {
  const app = await appForTest(t)
  await signUpAndLogIn(app)
  const token = makeToken(claims(), 'somebody-elses-secret-0123456789abcdef')
  const res = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${token}` },
  })
  t.equal(res.statusCode, 401)
  t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
})

t.test('changing the user id inside a token breaks its signature (401)', async (t) => {
  const app = await appForTest(t)
  await signUpAndLogIn(app, 'ann@x.org')
  await signUpAndLogIn(app, 'bob@x.org')
  const { token } = await signUpAndLogIn(app, 'ann@x.org')
  const [header, , signature] = token.split('.')
  const bobsPayload = Buffer.from(JSON.stringify(claims('2'))).toString('base64url')
  const forged = `${header}.${bobsPayload}.${signature}`
  const res = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${forged}` },
  })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'INVALID_TOKEN')
})

t.test('an unsigned token (alg "none") answers 401 INVALID_TOKEN', async (t) => {
  const app = await appForTest(t)
  await signUpAndLogIn(app)
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
  const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`
  const res = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${unsigned}` },
  })
  t.equal(res.statusCode, 401)
  t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
})

t.test('a token signed with another algorithm (HS512) answers 401 INVALID_TOKEN', async (t) => {
  const app = await appForTest(t)
  await signUpAndLogIn(app)
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
  const unsigned = `${encode({ alg: 'HS512', typ: 'JWT' })}.${encode(claims())}`
  const signature = createHmac('sha512', testJwtSecret).update(unsigned).digest('base64url')
  const res = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${unsigned}.${signature}` },
  })
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'INVALID_TOKEN')
})

t.test('a token works for 15 minutes, then answers 401 TOKEN_EXPIRED', async (t) => {
  let clock = Date.now()
  const app = await appForTest(t, { now: () => clock })
  const { authHeader } = await signUpAndLogIn(app)
  clock += 14 * 60 * 1000
  t.equal((await app.inject({ method: 'GET', url: '/me', headers: authHeader })).statusCode, 200)
  clock += 2 * 60 * 1000 // 16 minutes after log-in
  const res = await app.inject({ method: 'GET', url: '/me', headers: authHeader })
  t.equal(res.statusCode, 401)
  t.same(res.json(), {
    statusCode: 401,
    code: 'TOKEN_EXPIRED',
    error: 'Unauthorized',
    message: 'The token has expired: log in again.',
  })
})

t.test('the token of a deleted user answers 401 INVALID_TOKEN', async (t) => {
  const databaseUrl = await databaseForTest(t)
  const app = await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret }))
  const { authHeader } = await signUpAndLogIn(app, 'ann@x.org')
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  await db.deleteFrom('users').where('email', '=', 'ann@x.org').execute()
  const res = await app.inject({ method: 'GET', url: '/todos', headers: authHeader })
  t.equal(res.statusCode, 401)
  t.match(res.json(), { ...errorShape, code: 'INVALID_TOKEN' })
})

t.test('a token from an app with another secret does not work here', async (t) => {
  const databaseUrl = await databaseForTest(t)
  const other = await testApp(t, buildApp({ databaseUrl, jwtSecret: 'x'.repeat(40) }))
  const ours = await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret }))
  const { authHeader } = await signUpAndLogIn(other)
  t.equal((await other.inject({ method: 'GET', url: '/me', headers: authHeader })).statusCode, 200)
  t.equal((await ours.inject({ method: 'GET', url: '/me', headers: authHeader })).statusCode, 401)
})

t.test('the to-do routes work as before for a signed-in user', async (t) => {
  const app = await asUser(await appForTest(t))
  const created = await app.inject({
    method: 'POST',
    url: '/todos',
    payload: { title: 'Buy milk' },
  })
  t.equal(created.statusCode, 201)
  t.match((await app.inject({ method: 'GET', url: '/todos' })).json(), [{ title: 'Buy milk' }])
})

t.test('neither the password nor the token appears in the log', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, { logLevel: 'trace', logStream: logs.stream })
  const { token, authHeader } = await signUpAndLogIn(app)
  await app.inject({ method: 'GET', url: '/me', headers: authHeader })
  t.match(logs.text(), 'user logged in')
  t.notMatch(logs.text(), token)
  t.notMatch(logs.text(), 'correct horse battery staple')
})

t.test(
  'over real HTTP: sign up, log in, use the token; no token and alg "none" get 401',
  async (t) => {
    const url = await serverForTest(t)
    const json = { 'content-type': 'application/json' }
    const body = JSON.stringify({ email: 'ann@x.org', password: 'correct horse battery staple' })
    t.equal(
      (await fetch(`${url}/auth/signup`, { method: 'POST', headers: json, body })).status,
      201,
    )
    const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body })
    const { accessToken } = (await login.json()) as { accessToken: string }

    const me = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` } })
    t.equal(me.status, 200)
    t.match(await me.json(), { email: 'ann@x.org' })

    const none = await fetch(`${url}/me`)
    t.equal(none.status, 401)
    t.equal(none.headers.get('www-authenticate'), 'Bearer')
    t.match(await none.json(), { code: 'MISSING_TOKEN' })

    const [, payload] = accessToken.split('.')
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`
    const forged = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${unsigned}` } })
    t.equal(forged.status, 401)
    t.match(await forged.json(), { code: 'INVALID_TOKEN' })
  },
)
