import { scryptSync } from 'node:crypto'
import { testDatabase } from '@kitchen/db/testing'
import { captureLogs } from '@kitchen/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { appForTest } from './helpers.js'

const password = 'correct horse battery staple'

// One app and one database for the whole file: every test signs up addresses of its own.
const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
const app = await appForTest(t, { databaseUrl })
const db = createDatabase(databaseUrl, () => {})
t.teardown(() => db.destroy())

async function signUp(body: Record<string, unknown>, to = app) {
  return to.inject({ method: 'POST', url: '/auth/signup', payload: body })
}

/** The password hash stored for this email. */
async function storedHash(email: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.password_hash
}

/** Does the password give this stored hash? (Hashing it again, as log-in will.) */
function matches(secret: string, stored: string): boolean {
  const [, N, r, p, salt = '', key] = stored.split('$')
  const options = { N: Number(N), r: Number(r), p: Number(p) }
  return scryptSync(secret, Buffer.from(salt, 'base64'), 64, options).toString('base64') === key
}

t.test('signing up answers 201 with the new user: id, email and date, nothing else', async (t) => {
  const res = await signUp({ email: 'ann@example.com', password })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { id: Number, email: 'ann@example.com', createdAt: String })
  t.same(Object.keys(res.json()).sort(), ['createdAt', 'email', 'id'])
})

t.test('the email is stored in lower case, without surrounding spaces', async (t) => {
  const res = await signUp({ email: '  Cat@Example.COM ', password })
  t.equal(res.statusCode, 201)
  t.equal(res.json().email, 'cat@example.com')
  t.ok(await storedHash('cat@example.com'))
})

t.test('a second sign-up with the same email answers 409 ALREADY_EXISTS', async (t) => {
  t.equal((await signUp({ email: 'dan@example.com', password })).statusCode, 201)
  const again = await signUp({ email: 'dan@example.com', password: 'another password 123' })
  t.equal(again.statusCode, 409)
  t.same(again.json(), {
    statusCode: 409,
    code: 'ALREADY_EXISTS',
    error: 'Conflict',
    message: 'Another record already has this email.',
  })
  t.notMatch(again.body, /insert|select|users_email_key|password/i, 'no SQL, no hash')
})

t.test('the same email in other capitals or with spaces is a duplicate too (409)', async (t) => {
  await signUp({ email: 'eve@x.org', password })
  for (const email of ['Eve@X.org ', 'EVE@X.ORG', ' eve@x.org']) {
    const res = await signUp({ email, password })
    t.equal(res.statusCode, 409, JSON.stringify(email))
  }
})

t.test('of two sign-ups with one email at the same moment, exactly one wins', async (t) => {
  const answers = await Promise.all([
    signUp({ email: 'fay@x.org', password }),
    signUp({ email: 'FAY@x.org', password }),
  ])
  t.same(answers.map((res) => res.statusCode).sort(), [201, 409])
})

t.test('an email that is not an email address answers 400', async (t) => {
  const cases = [
    ['not-an-email', 'body/email must match format "email"'],
    ['ann@', 'body/email must match format "email"'],
    ['@example.com', 'body/email must match format "email"'],
    ['ann smith@example.com', 'body/email must match format "email"'],
    ['', 'body/email must match format "email"'],
    [`${'a'.repeat(250)}@x.org`, 'body/email must NOT have more than 254 characters'],
    [42, 'body/email must be string'],
  ] as const
  for (const [email, message] of cases) {
    const res = await signUp({ email, password })
    t.equal(res.statusCode, 400, String(email))
    t.same(res.json(), {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      error: 'Bad Request',
      message,
    })
  }
})

t.test('a password shorter than 12 or longer than 128 characters answers 400', async (t) => {
  const cases = [
    ['short', 'body/password must NOT have fewer than 12 characters'],
    ['x'.repeat(11), 'body/password must NOT have fewer than 12 characters'],
    ['x'.repeat(129), 'body/password must NOT have more than 128 characters'],
  ] as const
  for (const [tooShortOrLong, message] of cases) {
    const res = await signUp({ email: 'gus@x.org', password: tooShortOrLong })
    t.equal(res.statusCode, 400, `${tooShortOrLong.length} characters`)
    t.match(res.json(), { statusCode: 400, code: 'VALIDATION_FAILED', message })
  }
  const exactly12 = await signUp({ email: 'gus@x.org', password: 'x'.repeat(12) })
  t.equal(exactly12.statusCode, 201, '12 characters is enough')
})

t.test('a sign-up without an email or a password answers 400', async (t) => {
  const noPassword = await signUp({ email: 'hal@x.org' })
  t.equal(noPassword.json().message, "body must have required property 'password'")
  const noEmail = await signUp({ password })
  t.equal(noEmail.json().message, "body must have required property 'email'")
})

t.test('an unknown field in a sign-up is rejected, not silently dropped', async (t) => {
  const res = await signUp({ email: 'ida@x.org', password, isAdmin: true })
  t.equal(res.statusCode, 400)
  t.equal(res.json().message, 'body has an unknown field "isAdmin".')
})

t.test('the password is stored as a scrypt hash at the app’s cost, never as itself', async (t) => {
  await signUp({ email: 'jo@x.org', password })
  const stored = await storedHash('jo@x.org')
  // The tests' apps hash at a cheap cost (helpers.ts); the real default is 2 ** 15.
  t.match(stored, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
  t.notMatch(stored, password)
  t.equal(matches(password, stored), true, 'the right password gives the same hash')
  t.equal(matches('wrong password!', stored), false, 'a wrong one does not')
})

t.test('neither the password nor its hash appears in any answer or log line', async (t) => {
  const logs = captureLogs()
  const logged = await appForTest(t, { databaseUrl, logLevel: 'trace', logStream: logs.stream })
  const answers = [
    await signUp({ email: 'kim@x.org', password }, logged),
    await signUp({ email: 'kim@x.org', password }, logged),
    await signUp({ email: 'lou@x.org', password: 'short' }, logged),
    await signUp({ email: 'lou@x.org', password, extra: 1 }, logged),
  ]
  const hash = await storedHash('kim@x.org')
  const [, , , , salt, key] = hash.split('$') as string[]
  t.match(logs.text(), 'user signed up')
  for (const secret of [password, hash, salt, key]) {
    t.notMatch(logs.text(), secret, 'not in the log')
    for (const res of answers) t.notMatch(res.body, secret, 'not in an answer')
  }
})

t.test('SQL metacharacters in the email and password are plain data', async (t) => {
  const email = "o'brien+test@example.com"
  const tricky = `'; DROP TABLE users;-- "\\ 100%`
  const res = await signUp({ email, password: tricky })
  t.equal(res.statusCode, 201)
  t.equal(res.json().email, email)
  t.equal(matches(tricky, await storedHash(email)), true)
  t.equal((await signUp({ email: 'max@x.org', password })).statusCode, 201, 'table intact')
})
