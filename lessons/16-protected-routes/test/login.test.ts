import t from 'tap'
import { appForTest } from './helpers.js'

const password = 'correct horse battery staple'

// One app for the whole file: every test uses addresses of its own.
const app = await appForTest(t)

async function signUp(email: string, secret = password) {
  return app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: secret } })
}

async function logIn(email: string, secret = password, to = app) {
  return to.inject({ method: 'POST', url: '/auth/login', payload: { email, password: secret } })
}

/** Anyone can read a JWT: its first two parts are base64url JSON. Only the third is secret. */
function readToken(token: string) {
  const [header, payload] = token.split('.').slice(0, 2)
  const decode = (part = '') => JSON.parse(Buffer.from(part, 'base64url').toString())
  return { header: decode(header), payload: decode(payload) }
}

t.test('logging in with the right password answers 200 with a Bearer token', async (t) => {
  await signUp('ann@x.org')
  const res = await logIn('ann@x.org')
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    accessToken: /^[\w-]+\.[\w-]+\.[\w-]+$/,
    tokenType: 'Bearer',
    expiresIn: 900,
  })
  t.equal(res.headers['cache-control'], 'no-store', 'nobody keeps a copy of the token')
})

t.test('the token is a JWT: HS256, its subject the user id, valid for 15 minutes', async (t) => {
  const user = (await signUp('bob@x.org')).json()
  const { header, payload } = readToken((await logIn('bob@x.org')).json().accessToken)
  t.same(header, { alg: 'HS256', typ: 'JWT' })
  t.equal(payload.sub, String(user.id))
  t.equal(payload.exp - payload.iat, 15 * 60)
  t.same(Object.keys(payload).sort(), ['exp', 'iat', 'sub'], 'nothing else: no email, no hash')
})

t.test('the token is dated by the app’s clock (the `now` option)', async (t) => {
  const clock = Date.parse('2030-01-01T00:00:00Z')
  const dated = await appForTest(t, { now: () => clock })
  await dated.inject({
    method: 'POST',
    url: '/auth/signup',
    payload: { email: 'cat@x.org', password },
  })
  const { payload } = readToken((await logIn('cat@x.org', password, dated)).json().accessToken)
  t.equal(payload.iat, clock / 1000)
  t.equal(payload.exp, clock / 1000 + 900)
})

t.test('a wrong password and an unknown email get the very same 401', async (t) => {
  await signUp('dan@x.org')
  const wrongPassword = await logIn('dan@x.org', 'not the right password')
  const unknownEmail = await logIn('nobody@x.org')
  t.equal(wrongPassword.statusCode, 401)
  t.same(wrongPassword.json(), {
    statusCode: 401,
    code: 'INVALID_CREDENTIALS',
    error: 'Unauthorized',
    message: 'Email or password is wrong.',
  })
  t.equal(unknownEmail.statusCode, 401)
  t.equal(unknownEmail.body, wrongPassword.body, 'byte for byte')
})

t.test('log-in finds the account whatever the capitals and spaces of the email', async (t) => {
  await signUp('eve@x.org')
  t.equal((await logIn('  EVE@X.org ')).statusCode, 200)
})

t.test('SQL metacharacters in the email and password are plain data', async (t) => {
  const tricky = `'; DROP TABLE users;-- "\\ 100%`
  t.equal((await signUp("o'brien+test@example.com", tricky)).statusCode, 201)
  t.equal((await logIn("o'brien+test@example.com", tricky)).statusCode, 200)
  for (const email of ["' OR '1'='1", "o'brien+test@example.com' --"]) {
    const res = await logIn(email, "' OR '1'='1")
    t.equal(res.statusCode, 401, email)
    t.equal(res.json().code, 'INVALID_CREDENTIALS')
  }
})

t.test('bad log-in requests answer 400', async (t) => {
  const cases = [
    [{ email: 'ann@x.org' }, "body must have required property 'password'"],
    [{ email: 'ann@x.org', password: '' }, 'body/password must NOT have fewer than 1 characters'],
    [{ email: 'ann@x.org', password, remember: true }, 'body has an unknown field "remember".'],
    [{ email: 'x\u0000@x.org', password }, 'body/email must not contain the NUL character'],
  ] as const
  for (const [payload, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json(), { code: 'VALIDATION_FAILED', message })
  }
})

t.test('a token from an app with another secret has another signature', async (t) => {
  await signUp('fay@x.org')
  const ours = (await logIn('fay@x.org')).json().accessToken as string
  const other = await appForTest(t, { jwtSecret: 'x'.repeat(40) })
  await other.inject({
    method: 'POST',
    url: '/auth/signup',
    payload: { email: 'fay@x.org', password },
  })
  const theirs = (await logIn('fay@x.org', password, other)).json().accessToken as string
  t.not(theirs.split('.')[2], ours.split('.')[2])
})
