import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { captureLogs, runScript, testApp } from '@kitchen/core/testing'
import t, { type Test } from 'tap'
import { type AppOptions, buildApp } from '../src/app.js'
import { createDatabase } from '../src/db/database.js'
import { databaseForTest, password, serverForTest, testJwtSecret } from './helpers.js'

type App = ReturnType<typeof buildApp>

const THIRTY_DAYS = 30 * 24 * 60 * 60

/** An app and a connection to its database, to look at what was really stored. */
async function appAndDb(t: Test, options: Partial<AppOptions> = {}) {
  const databaseUrl = await databaseForTest(t)
  const app = await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret, ...options }))
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  return { app, db }
}

interface SetCookie {
  name: string
  value: string
  /** The attributes, by lower-case name: { path: '/auth', httponly: true, … } */
  attributes: Record<string, string | true>
}

/** "Path=/auth" → ["Path", "/auth"]; "HttpOnly" → ["HttpOnly", true] */
function splitPair(text: string): [string, string | true] {
  const at = text.indexOf('=')
  return at === -1 ? [text, true] : [text.slice(0, at), text.slice(at + 1)]
}

/** "refresh_token=abc; Max-Age=2592000; Path=/auth; HttpOnly; SameSite=Strict" → its parts. */
function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim())
  const [name, value] = splitPair(pair)
  const entries = attributes.map((attribute) => {
    const [key, attributeValue] = splitPair(attribute)
    return [key.toLowerCase(), attributeValue] as const
  })
  return { name, value: String(value), attributes: Object.fromEntries(entries) }
}

/** The refresh_token cookie an answer sets (there must be exactly one). */
function refreshCookie(res: { headers: Record<string, unknown> }): SetCookie {
  const header = res.headers['set-cookie']
  const cookies = (Array.isArray(header) ? header : [header]).map(String).map(parseSetCookie)
  const found = cookies.filter((cookie) => cookie.name === 'refresh_token')
  if (found.length !== 1) throw new Error(`expected one refresh_token cookie, got ${header}`)
  return found[0] as SetCookie
}

async function logIn(app: App, email = 'ann@x.org') {
  await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } })
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
  return { res, cookie: refreshCookie(res).value, accessToken: res.json().accessToken as string }
}

/** POST to /auth/refresh or /auth/logout, sending this refresh token in the cookie. */
function post(app: App, url: '/auth/refresh' | '/auth/logout', cookie?: string) {
  const headers = cookie === undefined ? {} : { cookie: `refresh_token=${cookie}` }
  return app.inject({ method: 'POST', url, headers })
}

function sha256(text: string) {
  return createHash('sha256').update(text).digest('hex')
}

t.test(
  'log-in sets the refresh token cookie: httpOnly, SameSite=Strict, /auth, 30 days',
  async (t) => {
    const { app } = await appAndDb(t)
    const { res } = await logIn(app)
    t.equal(res.statusCode, 200)
    const header = String(res.headers['set-cookie'])
    t.match(
      header,
      /^refresh_token=[\w-]{43}; Max-Age=2592000; Path=\/auth; HttpOnly; SameSite=Strict$/,
    )
    const cookie = refreshCookie(res)
    t.same(cookie.attributes, {
      'max-age': String(THIRTY_DAYS),
      path: '/auth',
      httponly: true,
      samesite: 'Strict',
    })
    t.notOk('secure' in cookie.attributes, 'not Secure in development: http://127.0.0.1 works')
    t.match(res.json(), { accessToken: String, tokenType: 'Bearer', expiresIn: 900 })
  },
)

t.test('in production (secureCookies) the cookie is Secure: sent over HTTPS only', async (t) => {
  const { app } = await appAndDb(t, { secureCookies: true })
  const { res } = await logIn(app)
  const cookie = refreshCookie(res)
  t.equal(cookie.attributes.secure, true)
  t.equal(cookie.attributes.samesite, 'Strict')
  t.equal(cookie.attributes.httponly, true)
  const logout = await post(app, '/auth/logout', cookie.value)
  t.equal(refreshCookie(logout).attributes.secure, true, 'clearing it needs the same attributes')
})

t.test('only the SHA-256 of the refresh token is stored, never the token', async (t) => {
  const clock = Date.parse('2030-01-01T00:00:00Z')
  const { app, db } = await appAndDb(t, { now: () => clock })
  const { cookie } = await logIn(app)
  const rows = await db.selectFrom('refresh_tokens').selectAll().execute()
  t.equal(rows.length, 1)
  const row = rows[0]
  t.equal(row?.token_hash, sha256(cookie))
  t.notMatch(JSON.stringify(rows), cookie, 'the token itself is nowhere in the table')
  t.match(row?.family_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.equal(row?.expires_at.toISOString(), '2030-01-31T00:00:00.000Z', '30 days by the app clock')
  t.equal(row?.used_at, null)
  t.equal(row?.revoked_at, null)
})

t.test('refresh trades the cookie for a new access token and a new cookie', async (t) => {
  const { app, db } = await appAndDb(t)
  const { cookie } = await logIn(app)
  const res = await post(app, '/auth/refresh', cookie)
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    accessToken: /^[\w-]+\.[\w-]+\.[\w-]+$/,
    tokenType: 'Bearer',
    expiresIn: 900,
  })
  t.equal(res.headers['cache-control'], 'no-store')
  const next = refreshCookie(res)
  t.not(next.value, cookie, 'a new refresh token (rotation)')
  t.equal(next.attributes.httponly, true)
  t.equal(next.attributes.path, '/auth')

  const me = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${res.json().accessToken}` },
  })
  t.match(me.json(), { email: 'ann@x.org' })

  const rows = await db.selectFrom('refresh_tokens').selectAll().orderBy('id').execute()
  t.equal(rows.length, 2)
  t.equal(rows[0]?.family_id, rows[1]?.family_id, 'the same family')
  t.ok(rows[0]?.used_at, 'the old one is used up')
  t.equal(rows[1]?.token_hash, sha256(next.value))
  t.equal(rows[1]?.used_at, null)
})

t.test('a chain of refreshes works, each cookie once', async (t) => {
  const { app } = await appAndDb(t)
  let { cookie } = await logIn(app)
  for (let i = 0; i < 5; i++) {
    const res = await post(app, '/auth/refresh', cookie)
    t.equal(res.statusCode, 200, `refresh ${i + 1}`)
    cookie = refreshCookie(res).value
  }
})

t.test(
  'a used cookie again is theft: 401 REFRESH_TOKEN_REUSED, the family is revoked',
  async (t) => {
    const { app, db } = await appAndDb(t)
    const { cookie: first } = await logIn(app)
    const other = await logIn(app) // a second log-in (another device): another family
    const second = refreshCookie(await post(app, '/auth/refresh', first)).value

    const replay = await post(app, '/auth/refresh', first)
    t.equal(replay.statusCode, 401)
    t.same(replay.json(), {
      statusCode: 401,
      code: 'REFRESH_TOKEN_REUSED',
      error: 'Unauthorized',
      message:
        'This refresh token was used before, so it may have been copied: every session of that log-in is ended. Log in again.',
    })

    const newest = await post(app, '/auth/refresh', second)
    t.equal(newest.statusCode, 401, 'the newest token of that family stops working too')
    t.equal(newest.json().code, 'REFRESH_TOKEN_REVOKED')
    const family = await db
      .selectFrom('refresh_tokens')
      .select('revoked_at')
      .where('token_hash', 'in', [sha256(first), sha256(second)])
      .execute()
    t.equal(family.length, 2)
    t.ok(
      family.every((row) => row.revoked_at !== null),
      'every token of the family is revoked',
    )

    t.equal((await post(app, '/auth/refresh', other.cookie)).statusCode, 200, 'other log-ins stay')
  },
)

t.test('logout answers 204, clears the cookie, and the token stops working', async (t) => {
  const { app, db } = await appAndDb(t)
  const { cookie } = await logIn(app)
  const res = await post(app, '/auth/logout', cookie)
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  const cleared = refreshCookie(res)
  t.equal(cleared.value, '')
  t.equal(cleared.attributes['max-age'], '0')
  t.equal(cleared.attributes.expires, 'Thu, 01 Jan 1970 00:00:00 GMT')
  t.equal(cleared.attributes.path, '/auth', 'the same path, or the browser keeps the old one')

  const after = await post(app, '/auth/refresh', cookie)
  t.equal(after.statusCode, 401)
  t.equal(after.json().code, 'REFRESH_TOKEN_REVOKED')
  const rows = await db.selectFrom('refresh_tokens').select('revoked_at').execute()
  t.ok(rows.every((row) => row.revoked_at !== null))
})

t.test('logout revokes the whole family, including tokens from earlier refreshes', async (t) => {
  const { app } = await appAndDb(t)
  const { cookie: first } = await logIn(app)
  const second = refreshCookie(await post(app, '/auth/refresh', first)).value
  t.equal((await post(app, '/auth/logout', second)).statusCode, 204)
  t.equal((await post(app, '/auth/refresh', second)).json().code, 'REFRESH_TOKEN_REVOKED')
  t.equal((await post(app, '/auth/refresh', first)).json().code, 'REFRESH_TOKEN_REVOKED')
})

t.test('logout without a cookie, or with one we do not know, is 204 too', async (t) => {
  const { app } = await appAndDb(t)
  const { cookie } = await logIn(app)
  for (const sent of [undefined, 'x'.repeat(43), 'nonsense', cookie, cookie]) {
    const res = await post(app, '/auth/logout', sent)
    t.equal(res.statusCode, 204, String(sent))
    t.equal(refreshCookie(res).attributes['max-age'], '0')
  }
})

t.test('no cookie: 401 MISSING_REFRESH_TOKEN', async (t) => {
  const { app } = await appAndDb(t)
  const res = await post(app, '/auth/refresh')
  t.equal(res.statusCode, 401)
  t.same(res.json(), {
    statusCode: 401,
    code: 'MISSING_REFRESH_TOKEN',
    error: 'Unauthorized',
    message: 'There is no refresh token cookie: log in.',
  })
  t.equal(res.headers['set-cookie'], undefined)
})

t.test('a forged or damaged cookie: 401 INVALID_REFRESH_TOKEN', async (t) => {
  const { app } = await appAndDb(t)
  const { cookie, accessToken } = await logIn(app)
  const flipped = (cookie.startsWith('A') ? 'B' : 'A') + cookie.slice(1)
  for (const forged of [
    flipped, // one character changed
    'A'.repeat(43), // the right shape, made up
    sha256(cookie), // the stored hash is not the token
    accessToken, // an access token is not a refresh token
    cookie.slice(0, 42),
    `${cookie}x`,
    'x'.repeat(5000),
  ]) {
    const res = await post(app, '/auth/refresh', forged)
    t.equal(res.statusCode, 401, forged.slice(0, 50))
    t.match(res.json(), { statusCode: 401, code: 'INVALID_REFRESH_TOKEN', message: String })
  }
  t.equal((await post(app, '/auth/refresh', cookie)).statusCode, 200, 'the real one still works')
})

t.test('SQL metacharacters in the cookie are plain data', async (t) => {
  const { app, db } = await appAndDb(t)
  const { cookie } = await logIn(app)
  for (const value of [
    "' OR '1'='1",
    "x'; DROP TABLE refresh_tokens;--",
    `${cookie}' OR 'a'='a`,
    '%27%20OR%201%3D1--',
    '\\\\"; --',
  ]) {
    const res = await post(app, '/auth/refresh', encodeURIComponent(value))
    t.equal(res.statusCode, 401, value)
    t.equal(res.json().code, 'INVALID_REFRESH_TOKEN')
  }
  t.equal((await db.selectFrom('refresh_tokens').selectAll().execute()).length, 1, 'table intact')
  t.equal((await post(app, '/auth/refresh', cookie)).statusCode, 200)
})

t.test('the refresh token and the access token cannot stand in for each other', async (t) => {
  const { app } = await appAndDb(t)
  const { cookie } = await logIn(app)
  const asBearer = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${cookie}` },
  })
  t.equal(asBearer.statusCode, 401)
  t.equal(asBearer.json().code, 'INVALID_TOKEN')
  // The cookie alone opens nothing outside /auth: the API still wants the Bearer token.
  const cookieOnly = await app.inject({
    method: 'GET',
    url: '/todos',
    headers: { cookie: `refresh_token=${cookie}` },
  })
  t.equal(cookieOnly.statusCode, 401)
  t.equal(cookieOnly.json().code, 'MISSING_TOKEN')
})

t.test('a refresh token expires after 30 days, by the app clock', async (t) => {
  let clock = Date.parse('2030-01-01T00:00:00Z')
  const { app } = await appAndDb(t, { now: () => clock })
  const { cookie: early } = await logIn(app)
  const { cookie: late } = await logIn(app)

  clock += (THIRTY_DAYS - 60) * 1000 // one minute before the end
  const res = await post(app, '/auth/refresh', early)
  t.equal(res.statusCode, 200)
  const me = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${res.json().accessToken}` },
  })
  t.equal(me.statusCode, 200, 'the new access token is dated by the same clock')

  clock += 2 * 60 * 1000 // one minute after the end
  const expired = await post(app, '/auth/refresh', late)
  t.equal(expired.statusCode, 401)
  t.same(expired.json(), {
    statusCode: 401,
    code: 'REFRESH_TOKEN_EXPIRED',
    error: 'Unauthorized',
    message: 'The refresh token has expired: log in again.',
  })
  // The token made by the refresh is good for 30 days from when it was made.
  const next = refreshCookie(res).value
  clock += 29 * 24 * 60 * 60 * 1000
  t.equal((await post(app, '/auth/refresh', next)).statusCode, 200)
})

t.test('access tokens still last 15 minutes; refresh gives a fresh one', async (t) => {
  let clock = Date.now()
  const { app } = await appAndDb(t, { now: () => clock })
  const { cookie, accessToken } = await logIn(app)
  clock += 16 * 60 * 1000
  const old = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${accessToken}` },
  })
  t.equal(old.json().code, 'TOKEN_EXPIRED')
  const fresh = (await post(app, '/auth/refresh', cookie)).json().accessToken
  const me = await app.inject({
    method: 'GET',
    url: '/me',
    headers: { authorization: `Bearer ${fresh}` },
  })
  t.equal(me.statusCode, 200)
})

t.test('of five refreshes with one cookie at the same moment, exactly one succeeds', async (t) => {
  const { app, db } = await appAndDb(t)
  const { cookie } = await logIn(app)
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => post(app, '/auth/refresh', cookie)),
  )
  const codes = answers.map((res) => res.statusCode).sort()
  t.same(codes, [200, 401, 401, 401, 401])
  // The first one to wait finds the token used (theft!) and revokes the family; the ones
  // after it find it revoked.
  const errors = answers.filter((res) => res.statusCode === 401).map((res) => res.json().code)
  t.same(errors.sort(), [
    'REFRESH_TOKEN_REUSED',
    'REFRESH_TOKEN_REVOKED',
    'REFRESH_TOKEN_REVOKED',
    'REFRESH_TOKEN_REVOKED',
  ])
  const made = await db.selectFrom('refresh_tokens').select('id').execute()
  t.equal(made.length, 2, 'one new token was made, not five')
})

t.test('two refreshes racing with one cookie: one 200, one REUSED', async (t) => {
  const { app } = await appAndDb(t)
  const { cookie } = await logIn(app)
  const answers = await Promise.all([
    post(app, '/auth/refresh', cookie),
    post(app, '/auth/refresh', cookie),
  ])
  t.same(answers.map((res) => res.statusCode).sort(), [200, 401])
  const loser = answers.find((res) => res.statusCode === 401)
  t.equal(loser?.json().code, 'REFRESH_TOKEN_REUSED')
})

t.test('deleting a user deletes their refresh tokens', async (t) => {
  const { app, db } = await appAndDb(t)
  const { cookie } = await logIn(app)
  await db.deleteFrom('users').where('email', '=', 'ann@x.org').execute()
  t.same(await db.selectFrom('refresh_tokens').selectAll().execute(), [])
  t.equal((await post(app, '/auth/refresh', cookie)).json().code, 'INVALID_REFRESH_TOKEN')
})

t.test('refresh tokens never appear in the log', async (t) => {
  const logs = captureLogs()
  const { app } = await appAndDb(t, { logLevel: 'trace', logStream: logs.stream })
  const { cookie } = await logIn(app)
  const res = await post(app, '/auth/refresh', cookie)
  await post(app, '/auth/refresh', cookie) // reused: logged as a warning
  await post(app, '/auth/logout', refreshCookie(res).value)
  t.match(logs.text(), 'tokens refreshed')
  t.match(logs.text(), 'refresh token reused: family revoked')
  t.notMatch(logs.text(), cookie)
  t.notMatch(logs.text(), refreshCookie(res).value)
})

t.test('over real HTTP: log in, refresh with the cookie, log out', async (t) => {
  const url = await serverForTest(t)
  const json = { 'content-type': 'application/json' }
  const body = JSON.stringify({ email: 'ann@x.org', password })
  await fetch(`${url}/auth/signup`, { method: 'POST', headers: json, body })
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body })
  const [setCookie] = login.headers.getSetCookie()
  const cookie = parseSetCookie(String(setCookie))
  t.equal(cookie.attributes.httponly, true)

  const send = { cookie: `refresh_token=${cookie.value}` }
  const refreshed = await fetch(`${url}/auth/refresh`, { method: 'POST', headers: send })
  t.equal(refreshed.status, 200)
  t.match(await refreshed.json(), { tokenType: 'Bearer' })
  const next = parseSetCookie(String(refreshed.headers.getSetCookie()[0]))

  const out = await fetch(`${url}/auth/logout`, {
    method: 'POST',
    headers: { cookie: `refresh_token=${next.value}` },
  })
  t.equal(out.status, 204)
  const again = await fetch(`${url}/auth/refresh`, {
    method: 'POST',
    headers: { cookie: `refresh_token=${next.value}` },
  })
  t.equal(again.status, 401)
})

t.test('a server started with NODE_ENV=production sends a Secure cookie', async (t) => {
  const databaseUrl = await databaseForTest(t)
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
  const body = JSON.stringify({ email: 'ann@x.org', password })
  await fetch(`${url}/auth/signup`, { method: 'POST', headers: json, body })
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: json, body })
  t.equal(login.status, 200)
  const cookie = parseSetCookie(String(login.headers.getSetCookie()[0]))
  t.equal(cookie.attributes.secure, true)
})
