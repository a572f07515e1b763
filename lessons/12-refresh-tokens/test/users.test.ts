import type { CreateAppOptions } from '@kitchen/core'
import { captureLogs, testApp } from '@kitchen/core/testing'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { createDatabase } from '../src/db/database.js'
import { verifyPassword } from '../src/users/password.js'
import { UserStore } from '../src/users/store.js'
import { appForTest, databaseForTest, testJwtSecret } from './helpers.js'

type App = Awaited<ReturnType<typeof appForTest>>

const password = 'correct horse battery staple'

async function signUp(app: App, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/auth/signup', payload: body })
}

/** An app, and the users in its database, to look at what was really stored. */
async function appAndUsers(t: Test, options: CreateAppOptions = {}) {
  const databaseUrl = await databaseForTest(t)
  const app = await testApp(t, buildApp({ ...options, databaseUrl, jwtSecret: testJwtSecret }))
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  return { app, users: new UserStore(db) }
}

t.test('signing up answers 201 with the new user: id, email and date, nothing else', async (t) => {
  const app = await appForTest(t)
  const res = await signUp(app, { email: 'ann@example.com', password })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { id: 1, email: 'ann@example.com', createdAt: String })
  t.same(Object.keys(res.json()).sort(), ['createdAt', 'email', 'id'])
})

t.test('the email is stored in lower case, without surrounding spaces', async (t) => {
  const app = await appForTest(t)
  const res = await signUp(app, { email: '  Ann@Example.COM ', password })
  t.equal(res.statusCode, 201)
  t.equal(res.json().email, 'ann@example.com')
})

t.test('a second sign-up with the same email answers 409 ALREADY_EXISTS', async (t) => {
  const app = await appForTest(t)
  t.equal((await signUp(app, { email: 'ann@example.com', password })).statusCode, 201)
  const again = await signUp(app, { email: 'ann@example.com', password: 'another password 123' })
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
  const app = await appForTest(t)
  await signUp(app, { email: 'ann@x.org', password })
  for (const email of ['Ann@X.org ', 'ANN@X.ORG', ' ann@x.org']) {
    const res = await signUp(app, { email, password })
    t.equal(res.statusCode, 409, JSON.stringify(email))
  }
})

t.test('of two sign-ups with one email at the same moment, exactly one wins', async (t) => {
  const app = await appForTest(t)
  const answers = await Promise.all([
    signUp(app, { email: 'ann@x.org', password }),
    signUp(app, { email: 'ANN@x.org', password }),
  ])
  t.same(answers.map((res) => res.statusCode).sort(), [201, 409])
})

t.test('an email that is not an email address answers 400', async (t) => {
  const app = await appForTest(t)
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
    const res = await signUp(app, { email, password })
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
  const app = await appForTest(t)
  const cases = [
    ['short', 'body/password must NOT have fewer than 12 characters'],
    ['x'.repeat(11), 'body/password must NOT have fewer than 12 characters'],
    ['x'.repeat(129), 'body/password must NOT have more than 128 characters'],
  ] as const
  for (const [tooShortOrLong, message] of cases) {
    const res = await signUp(app, { email: 'ann@x.org', password: tooShortOrLong })
    t.equal(res.statusCode, 400, `${tooShortOrLong.length} characters`)
    t.match(res.json(), { statusCode: 400, code: 'VALIDATION_FAILED', message })
  }
  const exactly12 = await signUp(app, { email: 'ann@x.org', password: 'x'.repeat(12) })
  t.equal(exactly12.statusCode, 201, '12 characters is enough')
})

t.test('a sign-up without an email or a password answers 400', async (t) => {
  const app = await appForTest(t)
  const noPassword = await signUp(app, { email: 'ann@x.org' })
  t.equal(noPassword.json().message, "body must have required property 'password'")
  const noEmail = await signUp(app, { password })
  t.equal(noEmail.json().message, "body must have required property 'email'")
})

t.test('an unknown field in a sign-up is rejected, not silently dropped', async (t) => {
  const app = await appForTest(t)
  const res = await signUp(app, { email: 'ann@x.org', password, isAdmin: true })
  t.equal(res.statusCode, 400)
  t.equal(res.json().message, 'body has an unknown field "isAdmin".')
})

t.test('the password is stored as a scrypt hash, never as itself', async (t) => {
  const { app, users } = await appAndUsers(t)
  await signUp(app, { email: 'ann@x.org', password })
  const stored = await users.findByEmail('ann@x.org')
  t.match(stored?.passwordHash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
  t.notMatch(stored?.passwordHash, password)
  t.equal(await verifyPassword(password, stored?.passwordHash ?? ''), true, 'right password')
  t.equal(await verifyPassword('wrong password!', stored?.passwordHash ?? ''), false, 'wrong one')
})

t.test('neither the password nor its hash appears in any answer or log line', async (t) => {
  const logs = captureLogs()
  const { app, users } = await appAndUsers(t, { logLevel: 'trace', logStream: logs.stream })
  const answers = [
    await signUp(app, { email: 'ann@x.org', password }),
    await signUp(app, { email: 'ann@x.org', password }),
    await signUp(app, { email: 'bob@x.org', password: 'short' }),
    await signUp(app, { email: 'bob@x.org', password, extra: 1 }),
  ]
  const hash = (await users.findByEmail('ann@x.org'))?.passwordHash as string
  const [, , , , salt, key] = hash.split('$') as string[]
  t.ok(logs.lines().length > 0, 'something was logged')
  for (const secret of [password, hash, salt, key]) {
    t.notMatch(logs.text(), secret, 'not in the log')
    for (const res of answers) t.notMatch(res.body, secret, 'not in an answer')
  }
})

t.test('SQL metacharacters in the email and password are plain data', async (t) => {
  const { app, users } = await appAndUsers(t)
  const email = "o'brien+test@example.com"
  const tricky = `'; DROP TABLE users;-- "\\ 100%`
  const res = await signUp(app, { email, password: tricky })
  t.equal(res.statusCode, 201)
  t.equal(res.json().email, email)
  const stored = await users.findByEmail(email)
  t.equal(await verifyPassword(tricky, stored?.passwordHash ?? ''), true)
  t.equal((await signUp(app, { email: 'ann@x.org', password })).statusCode, 201, 'table intact')
})

t.test('findById finds a user by id, and nothing for an unknown id', async (t) => {
  const { app, users } = await appAndUsers(t)
  const created = (await signUp(app, { email: 'ann@x.org', password })).json()
  t.same(await users.findById(created.id), created)
  t.equal(await users.findById(999), undefined)
})
