import type { FastifyReply } from 'fastify'
import t from 'tap'
import { hashingQueue } from '../src/auth/login-limit.js'
import { anonymousAppForTest, appForTest } from './helpers.js'

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
  t.same(Object.keys(payload).sort(), ['exp', 'iat', 'jti', 'sub'], 'no email, no hash')
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

// The rate limits (lesson 17). Each test counts the attempts of emails or addresses of its own.

/** Log in from this address (inject's `remoteAddress`; 127.0.0.1 when left out). */
function logInFrom(address: string, email: string, secret = password) {
  const payload = { email, password: secret }
  return app.inject({ method: 'POST', url: '/auth/login', payload, remoteAddress: address })
}

t.test('the 6th log-in within a minute answers 429 with Retry-After', async (t) => {
  await signUp('gil@x.org')
  for (let attempt = 1; attempt <= 5; attempt++) {
    t.equal((await logInFrom('10.0.1.1', 'gil@x.org', `guess number ${attempt}`)).statusCode, 401)
  }
  const sixth = await logInFrom('10.0.1.1', 'gil@x.org', 'guess number 6')
  t.equal(sixth.statusCode, 429)
  // The wait counts down from one minute: on a slow machine a second or two may have passed.
  t.match(sixth.json(), {
    statusCode: 429,
    code: 'TOO_MANY_REQUESTS',
    error: 'Too Many Requests',
    message: /^Too many login attempts for this email\. Try again in \d+ seconds\.$/,
  })
  const retryAfter = Number(sixth.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After is ${retryAfter} seconds`)
  t.equal(
    (await logInFrom('10.0.1.1', 'gil@x.org')).statusCode,
    429,
    'even the right password waits',
  )
})

t.test('only failures count: logging in again and again works', async (t) => {
  await signUp('hal@x.org')
  for (let attempt = 1; attempt <= 8; attempt++) {
    t.equal((await logInFrom('10.0.1.2', 'hal@x.org')).statusCode, 200)
  }
  for (let attempt = 1; attempt <= 4; attempt++)
    await logInFrom('10.0.1.2', 'hal@x.org', 'a wrong guess')
  t.equal(
    (await logInFrom('10.0.1.2', 'hal@x.org')).statusCode,
    200,
    'four failures and a success: still in',
  )
})

t.test('the limit counts per email, whatever its spelling', async (t) => {
  await signUp('ivy@x.org')
  await signUp('jon@x.org')
  for (const email of ['ivy@x.org', 'IVY@x.org', ' ivy@X.ORG', 'Ivy@x.org', 'ivy@x.org']) {
    await logInFrom('10.0.1.3', email, 'a wrong guess')
  }
  t.equal((await logInFrom('10.0.1.3', 'ivy@x.org')).statusCode, 429, 'five spellings, one count')
  t.equal(
    (await logInFrom('10.0.1.3', 'jon@x.org')).statusCode,
    200,
    'another account is not locked',
  )
})

t.test('an unknown email is limited too: guessing which emails exist is slowed down', async (t) => {
  for (let attempt = 1; attempt <= 5; attempt++) {
    t.equal((await logInFrom('10.0.1.4', 'no-one@x.org')).statusCode, 401)
  }
  t.equal((await logInFrom('10.0.1.4', 'no-one@x.org')).statusCode, 429)
})

t.test('one address may fail 20 times a minute, whatever the emails', async (t) => {
  for (let attempt = 1; attempt <= 20; attempt++) {
    t.equal((await logInFrom('10.0.0.20', `guess${attempt}@x.org`)).statusCode, 401)
  }
  const next = await logInFrom('10.0.0.20', 'yet-another@x.org')
  t.equal(next.statusCode, 429)
  t.match(
    next.json().message,
    /^Too many login attempts for your address\. Try again in \d+ seconds\.$/,
  )
  t.ok(Number(next.headers['retry-after']) > 0, 'with Retry-After')
  await signUp('kim@x.org')
  t.equal((await logInFrom('10.0.0.21', 'kim@x.org')).statusCode, 200, 'other addresses are not')
})

t.test(
  '40 bad log-ins at once from one address: no 5xx, and 20 reach a password check',
  async (t) => {
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => logInFrom('10.0.0.40', `burst${i}@x.org`)),
    )
    const codes = burst.map((res) => res.statusCode)
    t.equal(codes.filter((code) => code === 401).length, 20, 'the first 20 are checked')
    t.equal(codes.filter((code) => code === 429).length, 20, 'the rest wait, with Retry-After')
    await signUp('lou@x.org')
    t.equal((await logInFrom('10.0.0.41', 'lou@x.org')).statusCode, 200)
  },
)

t.test('a request the schema refuses is not counted', async (t) => {
  await signUp('kay@x.org')
  for (let attempt = 1; attempt <= 10; attempt++) {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'kay@x.org', password: '' },
      remoteAddress: '10.0.1.5',
    })
    t.equal(res.statusCode, 400)
  }
  t.equal((await logInFrom('10.0.1.5', 'kay@x.org')).statusCode, 200)
})

t.test('the limits move with the app clock: a minute later, log-in works again', async (t) => {
  let clock = Date.now()
  // The counts in memory, as without Redis: Redis's keep its own time (test/cache.test.ts).
  const app = await anonymousAppForTest(t, { now: () => clock, redisUrl: undefined })
  const payload = { email: 'max@x.org', password }
  await app.inject({ method: 'POST', url: '/auth/signup', payload })
  const wrong = { ...payload, password: 'a wrong guess' }
  for (let attempt = 1; attempt <= 5; attempt++) {
    await app.inject({ method: 'POST', url: '/auth/login', payload: wrong })
  }
  t.equal((await app.inject({ method: 'POST', url: '/auth/login', payload })).statusCode, 429)
  clock += 61_000
  t.equal((await app.inject({ method: 'POST', url: '/auth/login', payload })).statusCode, 200)
})

t.test('sign-up: at most 10 a minute from one address; /health is not limited', async (t) => {
  const app = await anonymousAppForTest(t, { signupsPerMinute: undefined })
  for (let attempt = 1; attempt <= 8; attempt++) {
    const res = await app.inject({ method: 'GET', url: '/health' })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['x-ratelimit-limit'], undefined)
  }
  const signUp = (email: string) =>
    app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } })
  for (let attempt = 1; attempt <= 10; attempt++) {
    t.equal((await signUp(`new${attempt}@x.org`)).statusCode, 201)
  }
  const eleventh = await signUp('new11@x.org')
  t.equal(eleventh.statusCode, 429)
  t.match(eleventh.json(), { code: 'TOO_MANY_REQUESTS', message: /^Too many sign-ups\./ })
  t.ok(Number(eleventh.headers['retry-after']) > 0, 'with Retry-After')
})

t.test('password hashing waits in a short line; past it, a 429 at once', async (t) => {
  const hashing = hashingQueue(2, 3)
  const replies: Array<{ header: (name: string, value: unknown) => void; sent: unknown }> = []
  const reply = () => {
    const fake = {
      sent: undefined as unknown,
      header: (_: string, value: unknown) => {
        fake.sent = value
      },
    }
    replies.push(fake)
    return fake as unknown as FastifyReply
  }
  let running = 0
  let most = 0
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const work = async () => {
    running++
    most = Math.max(most, running)
    await gate
    running--
    return 'done'
  }
  const results = Array.from({ length: 8 }, () =>
    hashing(reply(), work).catch((error: { statusCode: number }) => error.statusCode),
  )
  await new Promise((resolve) => setImmediate(resolve))
  release()
  t.same(await Promise.all(results), ['done', 'done', 'done', 'done', 'done', 429, 429, 429])
  t.equal(most, 2, 'never more than 2 at once')
  t.same(
    replies.slice(5).map((fake) => fake.sent),
    [1, 1, 1],
    'Retry-After: 1 on the refused',
  )
})
