import t from 'tap'
import { appForTest, password } from './helpers.js'

type App = Awaited<ReturnType<typeof appForTest>>

async function signUp(app: App, email: string, secret = password) {
  return app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: secret } })
}

async function logIn(app: App, email: string, secret = password) {
  return app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: secret } })
}

t.test('logging in with the right password answers 200 with a Bearer token', async (t) => {
  const app = await appForTest(t)
  await signUp(app, 'ann@x.org')
  const res = await logIn(app, 'ann@x.org')
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    accessToken: /^[\w-]+\.[\w-]+\.[\w-]+$/,
    tokenType: 'Bearer',
    expiresIn: 900,
  })
  t.equal(res.headers['cache-control'], 'no-store', 'nobody keeps a copy of the token')
})

t.test('the token is a JWT: HS256, its subject the user id, valid for 15 minutes', async (t) => {
  const app = await appForTest(t)
  const user = (await signUp(app, 'ann@x.org')).json()
  const token: string = (await logIn(app, 'ann@x.org')).json().accessToken
  // Anyone can read a JWT: its first two parts are base64url JSON. Only the third is secret work.
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
  t.same(header, { alg: 'HS256', typ: 'JWT' })
  t.equal(payload.sub, String(user.id))
  t.equal(payload.exp - payload.iat, 15 * 60)
  t.same(Object.keys(payload).sort(), ['exp', 'iat', 'sub'], 'nothing else: no email, no hash')
})

t.test('a wrong password and an unknown email get the very same 401', async (t) => {
  const app = await appForTest(t)
  await signUp(app, 'ann@x.org')
  const wrongPassword = await logIn(app, 'ann@x.org', 'not the right password')
  const unknownEmail = await logIn(app, 'nobody@x.org')
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
  const app = await appForTest(t)
  await signUp(app, 'ann@x.org')
  t.equal((await logIn(app, '  ANN@X.org ')).statusCode, 200)
})

t.test('SQL metacharacters in the email and password are plain data', async (t) => {
  const app = await appForTest(t)
  const tricky = `'; DROP TABLE users;-- "\\ 100%`
  t.equal((await signUp(app, "o'brien+test@example.com", tricky)).statusCode, 201)
  t.equal((await logIn(app, "o'brien+test@example.com", tricky)).statusCode, 200)
  for (const email of ["' OR '1'='1", "o'brien+test@example.com' --"]) {
    const res = await logIn(app, email, "' OR '1'='1")
    t.equal(res.statusCode, 401, email)
    t.equal(res.json().code, 'INVALID_CREDENTIALS')
  }
})

t.test('bad log-in requests answer 400', async (t) => {
  const app = await appForTest(t)
  const cases = [
    [{ email: 'ann@x.org' }, "body must have required property 'password'"],
    [{ email: 'ann@x.org', password: '' }, 'body/password must NOT have fewer than 1 characters'],
    [{ email: 'ann@x.org', password, remember: true }, 'body has an unknown field "remember".'],
  ] as const
  for (const [payload, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json(), { code: 'VALIDATION_FAILED', message })
  }
})

t.test('the 6th log-in within a minute answers 429 with Retry-After', async (t) => {
  const app = await appForTest(t)
  await signUp(app, 'ann@x.org')
  for (let attempt = 1; attempt <= 5; attempt++) {
    t.equal((await logIn(app, 'ann@x.org', `guess number ${attempt}`)).statusCode, 401)
  }
  const sixth = await logIn(app, 'ann@x.org', 'guess number 6')
  t.equal(sixth.statusCode, 429)
  // The wait counts down from one minute: on a slow machine a second or two may have passed.
  t.match(sixth.json(), {
    statusCode: 429,
    code: 'TOO_MANY_REQUESTS',
    error: 'Too Many Requests',
    message: /^Too many login attempts for this email\. Try again in (1 minute|\d+ seconds)\.$/,
  })
  const retryAfter = Number(sixth.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After is ${retryAfter} seconds`)
  t.equal((await logIn(app, 'ann@x.org')).statusCode, 429, 'even the right password waits')
})

t.test('the limit counts per email, whatever its spelling', async (t) => {
  const app = await appForTest(t)
  await signUp(app, 'ann@x.org')
  await signUp(app, 'bob@x.org')
  for (const email of ['ann@x.org', 'ANN@x.org', ' ann@X.ORG', 'Ann@x.org', 'ann@x.org']) {
    await logIn(app, email, 'a wrong guess')
  }
  t.equal((await logIn(app, 'ann@x.org')).statusCode, 429, 'five spellings, one count')
  t.equal((await logIn(app, 'bob@x.org')).statusCode, 200, 'another account is not locked')
})

t.test('sign-up and health stay open to everybody', async (t) => {
  const app = await appForTest(t)
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
  t.equal((await signUp(app, 'ann@x.org')).statusCode, 201)
})
