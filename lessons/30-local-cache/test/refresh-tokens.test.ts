import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { testDatabase } from '@kitchen/db/testing'
import { captureLogs, runScript } from '@kitchen/testing'
import t, { type Test } from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { anonymousAppForTest, password, serverForTest, testJwtSecret } from './helpers.js'

const THIRTY_DAYS = 30 * 24 * 60 * 60

// One app, one database and one clock for the whole file; each test logs in users of its own.
// Tests that move the clock put it back when they end.
let clock = Date.parse('2030-01-01T00:00:00Z')
const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
const app = await anonymousAppForTest(t, { databaseUrl, now: () => clock })
const db = createDatabase(databaseUrl, () => {})
t.teardown(() => db.destroy())

type App = typeof app
type Answer = Awaited<ReturnType<App['inject']>>

let people = 0
/** Sign up a new user and log in: the answer, its refresh token cookie and its access token. */
async function logIn(to: App = app, email = `user${++people}@x.org`) {
  await to.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } })
  const res = await to.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
  return { res, email, cookie: refreshCookie(res).value, accessToken: res.json().accessToken }
}

/** The refresh_token cookie an answer sets (there must be exactly one). */
function refreshCookie(res: Answer) {
  const found = res.cookies.filter((cookie) => cookie.name === 'refresh_token')
  if (found.length !== 1)
    throw new Error(`expected one refresh_token cookie: ${res.headers['set-cookie']}`)
  return found[0] as (typeof found)[number]
}

/** POST /auth/refresh, sending this refresh token in the cookie (none when left out). */
function refresh(cookie?: string, to: App = app) {
  const cookies: Record<string, string> = cookie === undefined ? {} : { refresh_token: cookie }
  return to.inject({ method: 'POST', url: '/auth/refresh', cookies })
}

function me(accessToken: string) {
  return app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${accessToken}` },
  })
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** The stored rows of this user's refresh tokens, oldest first. */
async function tokensOf(email: string) {
  return db
    .selectFrom('refresh_tokens')
    .innerJoin('users', 'users.id', 'refresh_tokens.user_id')
    .selectAll('refresh_tokens')
    .where('users.email', '=', email)
    .orderBy('refresh_tokens.id')
    .execute()
}

/** Move the app's clock on for the rest of this test only. */
function advance(t: Test, seconds: number) {
  const before = clock
  t.teardown(() => {
    clock = before
  })
  clock += seconds * 1000
}

t.test(
  'log-in sets the refresh token cookie: httpOnly, SameSite=Strict, /auth, 30 days',
  async (t) => {
    const { res } = await logIn()
    t.equal(res.statusCode, 200)
    t.match(
      String(res.headers['set-cookie']),
      /^refresh_token=[\w-]{43}; Max-Age=2592000; Path=\/auth; HttpOnly; SameSite=Strict$/,
    )
    const { name, value, ...attributes } = refreshCookie(res)
    t.same(attributes, { maxAge: THIRTY_DAYS, path: '/auth', httpOnly: true, sameSite: 'Strict' })
    t.notOk('secure' in attributes, 'not Secure in development: http://127.0.0.1 works')
    t.match(res.json(), { accessToken: String, tokenType: 'Bearer', expiresIn: 900 })
  },
)

t.test('in production (secureCookies) the cookie is Secure: sent over HTTPS only', async (t) => {
  const secure = await anonymousAppForTest(t, { databaseUrl, secureCookies: true })
  const cookie = refreshCookie((await logIn(secure)).res)
  t.match(cookie, { secure: true, sameSite: 'Strict', httpOnly: true, path: '/auth' })
  t.equal(refreshCookie(await refresh(cookie.value, secure)).secure, true, 'and every new one')
})

t.test('only the SHA-256 of the refresh token is stored, never the token', async (t) => {
  const { email, cookie } = await logIn()
  const rows = await tokensOf(email)
  t.equal(rows.length, 1)
  t.equal(rows[0]?.token_hash, sha256(cookie))
  t.notMatch(JSON.stringify(rows), cookie, 'the token itself is nowhere in the table')
  t.equal(rows[0]?.expires_at.toISOString(), '2030-01-31T00:00:00.000Z', '30 days by the app clock')
  t.equal(rows[0]?.used_at, null)
})

t.test('refresh trades the cookie for a new access token and a new cookie', async (t) => {
  const { email, cookie } = await logIn()
  const res = await refresh(cookie)
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    accessToken: /^[\w-]+\.[\w-]+\.[\w-]+$/,
    tokenType: 'Bearer',
    expiresIn: 900,
  })
  t.equal(res.headers['cache-control'], 'no-store')
  const next = refreshCookie(res)
  t.not(next.value, cookie, 'a new refresh token (rotation)')
  t.match(next, { httpOnly: true, path: '/auth', sameSite: 'Strict', maxAge: THIRTY_DAYS })
  t.match((await me(res.json().accessToken)).json(), { email })

  const rows = await tokensOf(email)
  t.equal(rows.length, 2)
  t.ok(rows[0]?.used_at, 'the old one is used up')
  t.equal(rows[1]?.token_hash, sha256(next.value))
  t.equal(rows[1]?.used_at, null)
})

t.test('a chain of refreshes works, each cookie once', async (t) => {
  let { cookie } = await logIn()
  for (let i = 1; i <= 5; i++) {
    const res = await refresh(cookie)
    t.equal(res.statusCode, 200, `refresh ${i}`)
    cookie = refreshCookie(res).value
  }
})

t.test('a used cookie does not work again: 401', async (t) => {
  const { cookie } = await logIn()
  t.equal((await refresh(cookie)).statusCode, 200)
  const again = await refresh(cookie)
  t.equal(again.statusCode, 401)
  t.match(again.json(), { statusCode: 401, error: 'Unauthorized', message: /log in/i })
  t.equal(again.headers['set-cookie'], undefined, 'no new cookie')
})

t.test('no cookie: 401 INVALID_REFRESH_TOKEN, and no cookie is set', async (t) => {
  const res = await refresh()
  t.equal(res.statusCode, 401)
  t.equal(res.json().code, 'INVALID_REFRESH_TOKEN')
  t.equal(res.headers['set-cookie'], undefined)
})

t.test('a forged or damaged cookie: 401 INVALID_REFRESH_TOKEN', async (t) => {
  const { cookie, accessToken } = await logIn()
  const flipped = (cookie.startsWith('A') ? 'B' : 'A') + cookie.slice(1)
  const forgeries = [
    flipped, // one character changed
    'A'.repeat(43), // the right shape, made up
    sha256(cookie), // the stored hash is not the token
    accessToken, // an access token is not a refresh token
    cookie.slice(0, 42),
    `${cookie}x`,
    'x'.repeat(3000),
  ]
  for (const forged of forgeries) {
    const res = await refresh(forged)
    t.equal(res.statusCode, 401, forged.slice(0, 50))
    t.match(res.json(), { statusCode: 401, code: 'INVALID_REFRESH_TOKEN', message: String })
  }
  t.equal((await refresh(cookie)).statusCode, 200, 'the real one still works')
})

t.test('SQL metacharacters in the cookie are plain data', async (t) => {
  const { email, cookie } = await logIn()
  const attacks = [
    "' OR '1'='1",
    "x'; DROP TABLE refresh_tokens;--",
    `${cookie}' OR 'a'='a`,
    '%27%20OR%201%3D1--',
    '\\"; --',
  ]
  for (const value of attacks) {
    const res = await refresh(value)
    t.equal(res.statusCode, 401, value)
    t.equal(res.json().code, 'INVALID_REFRESH_TOKEN')
  }
  t.equal((await tokensOf(email)).length, 1, 'table intact')
  t.equal((await refresh(cookie)).statusCode, 200)
})

t.test('the refresh token and the access token cannot stand in for each other', async (t) => {
  const { cookie } = await logIn()
  const asBearer = await me(cookie)
  t.equal(asBearer.statusCode, 401)
  t.equal(asBearer.json().code, 'INVALID_TOKEN')
  // The cookie alone opens nothing outside /auth: the API still wants the Bearer token.
  const cookieOnly = await app.inject({
    method: 'GET',
    url: '/todos',
    cookies: { refresh_token: cookie },
  })
  t.equal(cookieOnly.statusCode, 401)
  t.equal(cookieOnly.json().code, 'MISSING_TOKEN')
})

t.test('a refresh token expires after 30 days, by the app clock', async (t) => {
  const early = await logIn()
  const late = await logIn()
  advance(t, THIRTY_DAYS - 60) // one minute before the end
  const res = await refresh(early.cookie)
  t.equal(res.statusCode, 200)
  t.equal((await me(res.json().accessToken)).statusCode, 200, 'dated by the same clock')

  advance(t, 2 * 60) // one minute after the end
  const expired = await refresh(late.cookie)
  t.equal(expired.statusCode, 401)
  // The token made by the refresh is good for 30 days from when it was made.
  advance(t, 29 * 24 * 60 * 60)
  t.equal((await refresh(refreshCookie(res).value)).statusCode, 200)
})

t.test('access tokens still last 15 minutes; refresh gives a fresh one', async (t) => {
  const { cookie, accessToken } = await logIn()
  advance(t, 16 * 60)
  t.equal((await me(accessToken)).json().code, 'TOKEN_EXPIRED')
  const fresh = (await refresh(cookie)).json().accessToken
  t.equal((await me(fresh)).statusCode, 200)
})

t.test('of five refreshes with one cookie at the same moment, exactly one succeeds', async (t) => {
  const { email, cookie } = await logIn()
  const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(cookie)))
  t.same(answers.map((res) => res.statusCode).sort(), [200, 401, 401, 401, 401])
  t.equal((await tokensOf(email)).length, 2, 'one new token was made, not five')
})

t.test('deleting a user deletes their refresh tokens', async (t) => {
  const { email, cookie } = await logIn()
  await db.deleteFrom('users').where('email', '=', email).execute()
  t.same(await tokensOf(email), [])
  t.equal((await refresh(cookie)).json().code, 'INVALID_REFRESH_TOKEN')
})

t.test('refresh tokens never appear in the log', async (t) => {
  const logs = captureLogs()
  const logged = await anonymousAppForTest(t, {
    databaseUrl,
    logLevel: 'trace',
    logStream: logs.stream,
  })
  const { cookie } = await logIn(logged)
  const res = await refresh(cookie, logged)
  t.match(logs.text(), 'tokens refreshed')
  t.notMatch(logs.text(), cookie)
  t.notMatch(logs.text(), refreshCookie(res).value)
})

t.test('over real HTTP: log in, then refresh with the cookie', async (t) => {
  const url = await serverForTest(t)
  const json = { 'content-type': 'application/json' }
  const body = JSON.stringify({ email: 'ann@x.org', password })
  await fetch(`${url}/auth/signup`, { method: 'POST', headers: json, body })
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body })
  const [setCookie = ''] = login.headers.getSetCookie()
  t.match(setCookie, /; HttpOnly; SameSite=Strict$/)
  const cookie = setCookie.split(';')[0] as string // "refresh_token=…", as a browser sends it back

  const refreshed = await fetch(`${url}/auth/refresh`, { method: 'POST', headers: { cookie } })
  t.equal(refreshed.status, 200)
  t.match(await refreshed.json(), { tokenType: 'Bearer' })
  const again = await fetch(`${url}/auth/refresh`, { method: 'POST', headers: { cookie } })
  t.equal(again.status, 401, 'the old cookie was used up')
})

t.test('a server started with NODE_ENV=production sends a Secure cookie', async (t) => {
  const server = runScript(fileURLToPath(new URL('..', import.meta.url)), 'src/server.ts', {
    env: {
      NODE_ENV: 'production',
      JWT_SECRET: testJwtSecret,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
    },
  })
  t.teardown(async () => {
    server.child.kill('SIGTERM')
    await server.exited
  })
  const ready = await server.waitFor(/Server ready at (http:\/\/\S+)/)
  t.ok(ready, `the server started: ${server.output()}`)
  const url = ready?.[1] as string
  const json = { 'content-type': 'application/json' }
  const body = JSON.stringify({ email: 'prod@x.org', password })
  await fetch(`${url}/auth/signup`, { method: 'POST', headers: json, body })
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body })
  t.equal(login.status, 200)
  t.match(String(login.headers.getSetCookie()[0]), /; Secure; SameSite=Strict$/)
})

// Families, reuse detection and log-out (lesson 20).

/** POST /auth/logout, sending this refresh token in the cookie (none when left out). */
function logOut(cookie?: string, to: App = app) {
  const cookies: Record<string, string> = cookie === undefined ? {} : { refresh_token: cookie }
  return to.inject({ method: 'POST', url: '/auth/logout', cookies })
}

t.test('every refresh adds the next token to the family of its log-in', async (t) => {
  const { email, cookie: first } = await logIn()
  const second = refreshCookie(await refresh(first)).value
  await logIn(app, email) // a second log-in (another device): another family
  const rows = await tokensOf(email)
  t.equal(rows.length, 3)
  t.match(
    rows[0]?.family_id,
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  )
  t.equal(rows[1]?.token_hash, sha256(second))
  t.equal(rows[1]?.family_id, rows[0]?.family_id, 'the same family')
  t.not(rows[2]?.family_id, rows[0]?.family_id, 'a new log-in, a new family')
  t.ok(rows.every((row) => row.revoked_at === null))
})

t.test(
  'a used cookie again is theft: 401 REFRESH_TOKEN_REUSED, the family is revoked',
  async (t) => {
    const { email, cookie: first } = await logIn()
    const { cookie: other } = await logIn(app, email) // another device: another family
    const second = refreshCookie(await refresh(first)).value

    const replay = await refresh(first)
    t.equal(replay.statusCode, 401)
    t.same(replay.json(), {
      statusCode: 401,
      code: 'REFRESH_TOKEN_REUSED',
      error: 'Unauthorized',
      message:
        'This refresh token was used before, so it may have been copied: every session of that log-in is ended. Log in again.',
    })

    const newest = await refresh(second)
    t.equal(newest.statusCode, 401, 'the newest token of that family stops working too')
    t.same(newest.json(), {
      statusCode: 401,
      code: 'REFRESH_TOKEN_REVOKED',
      error: 'Unauthorized',
      message: 'The refresh token was revoked: log in again.',
    })
    const family = (await tokensOf(email)).filter((row) => row.token_hash !== sha256(other))
    t.equal(family.length, 2)
    t.ok(
      family.every((row) => row.revoked_at !== null),
      'every token of the family is revoked',
    )
    t.equal((await refresh(other)).statusCode, 200, 'other log-ins stay')
  },
)

t.test('an expired cookie answers 401 REFRESH_TOKEN_EXPIRED, and revokes nothing', async (t) => {
  const { email, cookie } = await logIn()
  advance(t, 30 * 24 * 60 * 60 + 60)
  const res = await refresh(cookie)
  t.same(res.json(), {
    statusCode: 401,
    code: 'REFRESH_TOKEN_EXPIRED',
    error: 'Unauthorized',
    message: 'The refresh token has expired: log in again.',
  })
  t.ok((await tokensOf(email)).every((row) => row.revoked_at === null))
})

t.test('of five refreshes with one cookie at once, one wins, and the reuse ends it', async (t) => {
  const { email, cookie } = await logIn()
  const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(cookie)))
  t.same(answers.map((res) => res.statusCode).sort(), [200, 401, 401, 401, 401])
  const codes = answers.filter((res) => res.statusCode === 401).map((res) => res.json().code)
  t.ok(codes.includes('REFRESH_TOKEN_REUSED'), 'the reuse was seen')
  t.ok(codes.every((code) => ['REFRESH_TOKEN_REUSED', 'REFRESH_TOKEN_REVOKED'].includes(code)))
  // Whoever won (the user or a thief) holds a new cookie, but its family is revoked.
  const winner = answers.find((res) => res.statusCode === 200) as Answer
  const next = await refresh(refreshCookie(winner).value)
  t.equal(next.json().code, 'REFRESH_TOKEN_REVOKED')
  t.equal((await tokensOf(email)).length, 2, 'one new token was made, not five')
})

t.test('logout answers 204, clears the cookie, and the token stops working', async (t) => {
  const { email, cookie } = await logIn()
  const res = await logOut(cookie)
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  t.match(refreshCookie(res), {
    value: '',
    maxAge: 0,
    expires: new Date(0),
    path: '/auth', // the same path, or the browser keeps the old cookie
    httpOnly: true,
    sameSite: 'Strict',
  })
  t.equal((await refresh(cookie)).json().code, 'REFRESH_TOKEN_REVOKED')
  t.ok((await tokensOf(email)).every((row) => row.revoked_at !== null))
})

t.test('logout revokes the whole family, tokens from earlier refreshes too', async (t) => {
  const { cookie: first } = await logIn()
  const second = refreshCookie(await refresh(first)).value
  t.equal((await logOut(second)).statusCode, 204)
  t.equal((await refresh(second)).json().code, 'REFRESH_TOKEN_REVOKED')
  t.equal((await refresh(first)).json().code, 'REFRESH_TOKEN_REVOKED')
})

t.test('logout without a cookie, or with one we do not know, is 204 too', async (t) => {
  const { cookie } = await logIn()
  for (const sent of [undefined, 'x'.repeat(43), 'nonsense', "' OR '1'='1", cookie, cookie]) {
    const res = await logOut(sent)
    t.equal(res.statusCode, 204, String(sent))
    t.equal(refreshCookie(res).maxAge, 0)
  }
})

t.test('logout ends only its own family: another log-in stays', async (t) => {
  const { email, cookie } = await logIn()
  const { cookie: other } = await logIn(app, email)
  await logOut(cookie)
  t.equal((await refresh(other)).statusCode, 200)
})

t.test('in production the cookie is cleared with the same Secure attributes', async (t) => {
  const secure = await anonymousAppForTest(t, { databaseUrl, secureCookies: true })
  const { cookie } = await logIn(secure)
  const res = await logOut(cookie, secure)
  t.match(refreshCookie(res), { value: '', secure: true, path: '/auth', sameSite: 'Strict' })
})

t.test('a reuse is logged as a warning; no refresh token appears in the log', async (t) => {
  const logs = captureLogs()
  const logged = await anonymousAppForTest(t, {
    databaseUrl,
    logLevel: 'info',
    logStream: logs.stream,
  })
  const { cookie } = await logIn(logged)
  const res = await refresh(cookie, logged)
  await refresh(cookie, logged) // reused
  await logOut(refreshCookie(res).value, logged)
  t.ok(
    logs.lines().some((line) => line.level === 40 && line.msg === 'refresh token reused'),
    'a warning',
  )
  t.notMatch(logs.text(), cookie)
  t.notMatch(logs.text(), refreshCookie(res).value)
})

t.test('over real HTTP: log in, refresh with the cookie, log out', async (t) => {
  const url = await serverForTest(t)
  const json = { 'content-type': 'application/json' }
  const body = JSON.stringify({ email: 'ann@x.org', password })
  await fetch(`${url}/auth/signup`, { method: 'POST', headers: json, body })
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body })
  const cookieOf = (res: Response) => String(res.headers.getSetCookie()[0]).split(';')[0] as string

  const refreshed = await fetch(`${url}/auth/refresh`, {
    method: 'POST',
    headers: { cookie: cookieOf(login) },
  })
  t.equal(refreshed.status, 200)
  const cookie = cookieOf(refreshed)
  const out = await fetch(`${url}/auth/logout`, { method: 'POST', headers: { cookie } })
  t.equal(out.status, 204)
  t.match(String(out.headers.getSetCookie()[0]), /^refresh_token=; Max-Age=0; Path=\/auth;/)
  const again = await fetch(`${url}/auth/refresh`, { method: 'POST', headers: { cookie } })
  t.equal(again.status, 401)
})
