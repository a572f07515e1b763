import t from 'tap'
import { appForTest, asUser, problem, register } from './helpers.js'

// Profiles: GET /api/profiles/:username, POST and DELETE /api/profiles/:username/follow.

t.test(
  'a profile answers 200 with username, bio, image, and following false for a visitor',
  async (t) => {
    const app = await appForTest(t)
    await register(app, 'celeb')
    const res = await app.inject({ method: 'GET', url: '/api/profiles/celeb' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { profile: { username: 'celeb', bio: null, image: null, following: false } })
  },
)

t.test(
  'following answers the profile with following true, and reading it again says so',
  async (t) => {
    const app = await appForTest(t)
    await register(app, 'celeb')
    const fan = await asUser(app, 'fan')
    const res = await fan.inject({ method: 'POST', url: '/api/profiles/celeb/follow' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { profile: { username: 'celeb', bio: null, image: null, following: true } })
    const read = await fan.inject({ method: 'GET', url: '/api/profiles/celeb' })
    t.equal(read.json().profile.following, true)
    const visitor = await app.inject({ method: 'GET', url: '/api/profiles/celeb' })
    t.equal(visitor.json().profile.following, false, 'a visitor follows nobody')
  },
)

t.test('following twice is following once, and unfollowing answers following false', async (t) => {
  const app = await appForTest(t)
  await register(app, 'celeb')
  const fan = await asUser(app, 'fan')
  await fan.inject({ method: 'POST', url: '/api/profiles/celeb/follow' })
  const twice = await fan.inject({ method: 'POST', url: '/api/profiles/celeb/follow' })
  t.equal(twice.statusCode, 200)
  const res = await fan.inject({ method: 'DELETE', url: '/api/profiles/celeb/follow' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().profile.following, false)
  const read = await fan.inject({ method: 'GET', url: '/api/profiles/celeb' })
  t.equal(read.json().profile.following, false, 'one unfollow undoes both follows')
})

t.test('unfollowing someone you do not follow answers 200 with following false', async (t) => {
  const app = await appForTest(t)
  await register(app, 'celeb')
  const fan = await asUser(app, 'fan')
  const res = await fan.inject({ method: 'DELETE', url: '/api/profiles/celeb/follow' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().profile.following, false)
})

t.test('an unknown username answers 404: profile not found', async (t) => {
  const app = await appForTest(t)
  const fan = await asUser(app, 'fan')
  for (const method of ['POST', 'DELETE'] as const) {
    const res = await fan.inject({ method, url: '/api/profiles/nobody/follow' })
    t.equal(res.statusCode, 404, method)
    t.same(res.json(), problem('profile', 'not found'))
  }
  const read = await app.inject({ method: 'GET', url: '/api/profiles/nobody' })
  t.equal(read.statusCode, 404)
  t.same(read.json(), problem('profile', 'not found'))
})

t.test('following without a token answers 401, before looking for the profile', async (t) => {
  const app = await appForTest(t)
  await register(app, 'celeb')
  for (const url of ['/api/profiles/celeb/follow', '/api/profiles/nobody/follow']) {
    for (const method of ['POST', 'DELETE'] as const) {
      const res = await app.inject({ method, url })
      t.equal(res.statusCode, 401, `${method} ${url}`)
      t.same(res.json(), problem('token', 'is missing'))
    }
  }
})

t.test('a profile read with a bad token answers 401, not as if by a visitor', async (t) => {
  const app = await appForTest(t)
  await register(app, 'celeb')
  const res = await app.inject({
    method: 'GET',
    url: '/api/profiles/celeb',
    headers: { authorization: 'Token not-a-token' },
  })
  t.equal(res.statusCode, 401)
  t.same(res.json(), problem('token', 'is invalid'))
})

t.test(
  'a follow with a JSON body nobody asked for (as the official suite sends) is fine',
  async (t) => {
    const app = await appForTest(t)
    await register(app, 'celeb')
    const fan = await asUser(app, 'fan')
    const res = await fan.inject({
      method: 'POST',
      url: '/api/profiles/celeb/follow',
      payload: { user: { email: fan.email } },
    })
    t.equal(res.statusCode, 200)
    t.equal(res.json().profile.following, true)
  },
)

t.test(
  'a username with capitals or spaces is found as written, %-encoded in the URL',
  async (t) => {
    const app = await appForTest(t)
    await register(app, 'Jake Smith')
    const res = await app.inject({ method: 'GET', url: '/api/profiles/Jake%20Smith' })
    t.equal(res.statusCode, 200)
    t.equal(res.json().profile.username, 'Jake Smith')
    const lower = await app.inject({ method: 'GET', url: '/api/profiles/jake%20smith' })
    t.equal(lower.statusCode, 404, 'usernames are case-sensitive')
  },
)

t.test('a profile shows the bio and image its user set', async (t) => {
  const app = await appForTest(t)
  const celeb = await asUser(app, 'celeb')
  const user = { bio: 'I work at statefarm', image: 'https://example.com/celeb.jpg' }
  await celeb.inject({ method: 'PUT', url: '/api/user', payload: { user } })
  const res = await app.inject({ method: 'GET', url: '/api/profiles/celeb' })
  t.match(res.json().profile, user)
})
