import { cleanDatabase } from '@kitchen/db/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { appForTest, asUser, password, problem, register, testJwtSecret } from './helpers.js'

// Registration, log-in, and the signed-in user: POST /api/users, POST /api/users/login,
// GET /api/user and PUT /api/user.

const jake = { username: 'jake', email: 'jake@jake.jake', password: 'jakejake' }

t.test('registering answers 201 with the user and a token, never the password', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'POST', url: '/api/users', payload: { user: jake } })
  t.equal(res.statusCode, 201)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const { user } = res.json()
  t.same(Object.keys(user).sort(), ['bio', 'email', 'image', 'token', 'username'])
  t.match(user, { username: 'jake', email: 'jake@jake.jake', bio: null, image: null })
  t.match(user.token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT')
  t.notMatch(res.body, 'jakejake')
})

t.test('the token from registering works: GET /api/user answers the same user', async (t) => {
  const app = await appForTest(t)
  const { token } = await register(app, 'jake')
  const res = await app.inject({
    method: 'GET',
    url: '/api/user',
    headers: { authorization: `Token ${token}` },
  })
  t.equal(res.statusCode, 200)
  t.match(res.json().user, { username: 'jake', email: 'jake@example.com', token: String })
  t.equal(res.headers['cache-control'], 'no-store', 'a token is not for keeping in caches')
})

t.test('the email is kept in lower case, without surrounding spaces', async (t) => {
  const app = await appForTest(t)
  const user = { ...jake, email: '  Jake@JAKE.jake ' }
  const res = await app.inject({ method: 'POST', url: '/api/users', payload: { user } })
  t.equal(res.json().user.email, 'jake@jake.jake')
})

t.test('a username that is taken answers 409: username has already been taken', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/api/users', payload: { user: jake } })
  const user = { ...jake, email: 'other@example.com' }
  const res = await app.inject({ method: 'POST', url: '/api/users', payload: { user } })
  t.equal(res.statusCode, 409)
  t.same(res.json(), problem('username', 'has already been taken'))
})

t.test(
  'an email that is taken, in any capitals, answers 409: email has already been taken',
  async (t) => {
    const app = await appForTest(t)
    await app.inject({ method: 'POST', url: '/api/users', payload: { user: jake } })
    const user = { ...jake, username: 'jacob', email: 'JAKE@jake.jake' }
    const res = await app.inject({ method: 'POST', url: '/api/users', payload: { user } })
    t.equal(res.statusCode, 409)
    t.same(res.json(), problem('email', 'has already been taken'))
  },
)

t.test('of two registrations of one username at the same moment, exactly one wins', async (t) => {
  const app = await appForTest(t)
  const answers = await Promise.all(
    ['a@example.com', 'b@example.com'].map((email) =>
      app.inject({ method: 'POST', url: '/api/users', payload: { user: { ...jake, email } } }),
    ),
  )
  t.same(answers.map((res) => res.statusCode).sort(), [201, 409])
})

t.test('registering without its fields answers 422 naming every one of them', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'POST', url: '/api/users', payload: { user: {} } })
  t.equal(res.statusCode, 422)
  t.same(res.json(), {
    errors: {
      username: ["can't be blank"],
      email: ["can't be blank"],
      password: ["can't be blank"],
    },
  })
})

t.test(
  'a blank username, a bad email or a short password answers 422 in the spec’s words',
  async (t) => {
    const app = await appForTest(t)
    const cases = [
      [{ username: '' }, problem('username', "can't be blank")],
      [{ username: '   ' }, problem('username', "can't be blank")],
      [{ email: 'not-an-email' }, problem('email', 'is invalid')],
      [{ password: 'short' }, problem('password', 'is too short (minimum is 8 characters)')],
      [{ username: 42 }, problem('username', 'must be text')],
    ] as const
    for (const [change, expected] of cases) {
      const user = { ...jake, ...change }
      const res = await app.inject({ method: 'POST', url: '/api/users', payload: { user } })
      t.equal(res.statusCode, 422, JSON.stringify(change))
      t.same(res.json(), expected)
    }
  },
)

t.test('a body not wrapped in "user", or no body at all, answers 422', async (t) => {
  const app = await appForTest(t)
  const unwrapped = await app.inject({ method: 'POST', url: '/api/users', payload: jake })
  t.equal(unwrapped.statusCode, 422)
  t.same(unwrapped.json(), problem('user', "can't be blank"))
  const none = await app.inject({ method: 'POST', url: '/api/users' })
  t.equal(none.statusCode, 422)
  t.same(none.json(), problem('body', 'must be an object'))
})

t.test('logging in answers 200 with the user and a token', async (t) => {
  const app = await appForTest(t)
  await register(app, 'jake')
  const user = { email: 'JAKE@example.com', password }
  const res = await app.inject({ method: 'POST', url: '/api/users/login', payload: { user } })
  t.equal(res.statusCode, 200)
  t.match(res.json().user, { username: 'jake', email: 'jake@example.com', token: String })
})

t.test('a wrong password or an unknown email answers 401 with one message for both', async (t) => {
  const app = await appForTest(t)
  await register(app, 'jake')
  for (const user of [
    { email: 'jake@example.com', password: 'wrong password' },
    { email: 'nobody@example.com', password },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/api/users/login', payload: { user } })
    t.equal(res.statusCode, 401, user.email)
    t.same(res.json(), problem('email or password', 'is invalid'))
  }
})

t.test('logging in without an email or a password answers 422', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/users/login',
    payload: { user: { email: '' } },
  })
  t.equal(res.statusCode, 422)
  t.same(res.json(), {
    errors: { email: ["can't be blank"], password: ["can't be blank"] },
  })
})

t.test('GET /api/user without a token answers 401: token is missing', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/api/user' })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['www-authenticate'], 'Token')
  t.same(res.json(), problem('token', 'is missing'))
})

t.test(
  'a token sent as "Bearer", or with no token, answers 401 saying how to send it',
  async (t) => {
    const app = await appForTest(t)
    const { token } = await register(app, 'jake')
    for (const authorization of [`Bearer ${token}`, 'Token', `Token ${token} extra`, token]) {
      const res = await app.inject({ method: 'GET', url: '/api/user', headers: { authorization } })
      t.equal(res.statusCode, 401, authorization)
      t.same(res.json(), problem('token', 'must be sent as "Authorization: Token <token>"'))
    }
  },
)

t.test(
  'a token we did not sign, or that is not a JWT, answers 401: token is invalid',
  async (t) => {
    const app = await appForTest(t)
    const other = await appForTest(t, { jwtSecret: 'another-secret-of-at-least-32-characters' })
    const { token } = await register(other, 'mallory')
    for (const sent of [token, 'not-a-jwt', `${token.slice(0, -2)}xx`]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/user',
        headers: { authorization: `Token ${sent}` },
      })
      t.equal(res.statusCode, 401, sent)
      t.same(res.json(), problem('token', 'is invalid'))
    }
  },
)

t.test('a token is good for a week, then answers 401: token has expired', async (t) => {
  let clock = Date.now()
  const app = await appForTest(t, { now: () => clock })
  const { token } = await register(app, 'jake')
  const headers = { authorization: `Token ${token}` }
  clock += 6 * 24 * 60 * 60 * 1000
  t.equal((await app.inject({ method: 'GET', url: '/api/user', headers })).statusCode, 200)
  clock += 2 * 24 * 60 * 60 * 1000
  const res = await app.inject({ method: 'GET', url: '/api/user', headers })
  t.equal(res.statusCode, 401)
  t.same(res.json(), problem('token', 'has expired'))
})

t.test('the token of a user who no longer exists answers 401', async (t) => {
  const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
  const app = await appForTest(t, { databaseUrl })
  const { token } = await register(app, 'jake')
  const db = createDatabase(databaseUrl, () => {})
  await db.deleteFrom('users').execute()
  await db.destroy()
  const res = await app.inject({
    method: 'GET',
    url: '/api/user',
    headers: { authorization: `Token ${token}` },
  })
  t.equal(res.statusCode, 401)
  t.same(res.json(), problem('token', 'is invalid'))
})

t.test('updating the user changes the fields sent and keeps the others', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const user = { bio: 'I like to skateboard', image: 'https://example.com/jake.jpg' }
  const res = await jake.inject({ method: 'PUT', url: '/api/user', payload: { user } })
  t.equal(res.statusCode, 200)
  t.match(res.json().user, { ...user, username: 'jake', email: 'jake@example.com', token: String })
  const again = await jake.inject({ method: 'GET', url: '/api/user' })
  t.match(again.json().user, user, 'stored')
})

t.test('bio and image can be set back to null', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  await jake.inject({ method: 'PUT', url: '/api/user', payload: { user: { bio: 'Hello' } } })
  const res = await jake.inject({
    method: 'PUT',
    url: '/api/user',
    payload: { user: { bio: null, image: null } },
  })
  t.match(res.json().user, { bio: null, image: null })
})

t.test('after a new password, logging in takes the new one, not the old one', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const newPassword = 'a brand new password'
  await jake.inject({
    method: 'PUT',
    url: '/api/user',
    payload: { user: { password: newPassword } },
  })
  const logIn = (password: string) =>
    app.inject({
      method: 'POST',
      url: '/api/users/login',
      payload: { user: { email: 'jake@example.com', password } },
    })
  t.equal((await logIn(newPassword)).statusCode, 200)
  t.equal((await logIn(password)).statusCode, 401)
})

t.test('a new username or email that someone else has answers 409', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  await register(app, 'ann')
  const name = await jake.inject({
    method: 'PUT',
    url: '/api/user',
    payload: { user: { username: 'ann' } },
  })
  t.equal(name.statusCode, 409)
  t.same(name.json(), problem('username', 'has already been taken'))
  const email = await jake.inject({
    method: 'PUT',
    url: '/api/user',
    payload: { user: { email: 'ANN@example.com' } },
  })
  t.same(email.json(), problem('email', 'has already been taken'))
})

t.test('sending your own email again is no conflict (the official suite does)', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const user = { email: jake.email }
  const res = await jake.inject({ method: 'PUT', url: '/api/user', payload: { user } })
  t.equal(res.statusCode, 200)
})

t.test(
  'an update with no fields answers 422; fields the spec does not know are ignored',
  async (t) => {
    const app = await appForTest(t)
    const jake = await asUser(app, 'jake')
    const empty = await jake.inject({ method: 'PUT', url: '/api/user', payload: { user: {} } })
    t.equal(empty.statusCode, 422)
    t.same(empty.json(), problem('user', "can't be empty"))
    const unknown = await jake.inject({
      method: 'PUT',
      url: '/api/user',
      payload: { user: { password_hash: 'x', id: 7 } },
    })
    t.equal(unknown.statusCode, 200)
    t.match(unknown.json().user, { username: 'jake' })
  },
)

t.test('an update with a bad email or a short password answers 422', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const res = await jake.inject({
    method: 'PUT',
    url: '/api/user',
    payload: { user: { email: 'nope', password: 'short', bio: 7 } },
  })
  t.equal(res.statusCode, 422)
  t.same(res.json(), {
    errors: {
      email: ['is invalid'],
      password: ['is too short (minimum is 8 characters)'],
      bio: ['must be text or null'],
    },
  })
})

t.test('PUT /api/user without a token answers 401 before looking at the body', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'PUT', url: '/api/user', payload: { user: {} } })
  t.equal(res.statusCode, 401)
  t.same(res.json(), problem('token', 'is missing'))
})

t.test(
  'passwords are stored as scrypt hashes at the real cost (2 ** 15), never as sent',
  async (t) => {
    // The one registration at the real cost in these tests: about a tenth of a second.
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const app = await appForTest(t, {
      databaseUrl,
      passwordCost: undefined,
      jwtSecret: testJwtSecret,
    })
    await app.inject({ method: 'POST', url: '/api/users', payload: { user: jake } })
    const db = createDatabase(databaseUrl, () => {})
    t.teardown(() => db.destroy())
    const { password_hash: hash } = await db
      .selectFrom('users')
      .select('password_hash')
      .executeTakeFirstOrThrow()
    t.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/)
    t.notMatch(hash, 'jakejake')
  },
)
