import t from 'tap'
import { readConfig } from '../src/config.js'
import { anonymousAppForTest, asUser, password } from './helpers.js'

// One app for the file: a page from https://menu.example may call it, no other site's may.
const allowed = 'https://menu.example'
const app = await anonymousAppForTest(t, { corsOrigins: [allowed] })
const cook = await asUser(app)

let people = 0
/** Sign up and log in a new user: the refresh token cookie that log-in set. */
async function logIn() {
  const email = `user${++people}@x.org`
  await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } })
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
  return { refresh_token: res.cookies.find((c) => c.name === 'refresh_token')?.value ?? '' }
}

t.test('every answer carries helmet’s headers, errors too', async (t) => {
  for (const url of ['/health', '/no-such-page']) {
    const res = await app.inject({ method: 'GET', url })
    t.match(res.headers['content-security-policy'], /default-src 'self'/, url)
    t.match(res.headers['content-security-policy'], /script-src 'self'/, url)
    t.notMatch(res.headers['content-security-policy'], /upgrade-insecure-requests/, url)
    t.equal(res.headers['x-content-type-options'], 'nosniff', url)
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url)
    t.equal(res.headers['referrer-policy'], 'no-referrer', url)
    t.match(res.headers['strict-transport-security'], /max-age=\d+/, url)
  }
})

t.test('a signed-in user’s data is marked Cache-Control: no-store', async (t) => {
  await cook.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy flour' } })
  for (const url of ['/todos', '/lists', '/me']) {
    const res = await cook.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['cache-control'], 'no-store', url)
  }
})

t.test('a page from an allowed origin may read answers, with credentials', async (t) => {
  const res = await cook.inject({ method: 'GET', url: '/todos', headers: { origin: allowed } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], allowed)
  t.equal(res.headers['access-control-allow-credentials'], 'true')
  t.match(res.headers['access-control-expose-headers'], /link/)
  t.match(res.headers.vary, /Origin/, 'caches keep one copy per origin')
})

t.test('a page from any other origin is not named, so its browser hides the answer', async (t) => {
  const res = await cook.inject({
    method: 'GET',
    url: '/todos',
    headers: { origin: 'https://evil.example' },
  })
  // Without Access-Control-Allow-Origin naming its origin, the browser hides the answer from
  // the page, whatever else the answer says.
  t.equal(res.headers['access-control-allow-origin'], undefined)
  t.equal(res.statusCode, 200, 'the API answers: it is the browser that enforces CORS')
})

t.test(
  'a preflight from an allowed origin is answered 204 with the methods and headers',
  async (t) => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/todos/1',
      headers: {
        origin: allowed,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    t.equal(res.statusCode, 204)
    t.equal(res.headers['access-control-allow-origin'], allowed)
    t.match(res.headers['access-control-allow-methods'], /PATCH/)
    t.match(res.headers['access-control-allow-methods'], /DELETE/)
    t.match(res.headers['access-control-allow-headers'], /authorization/)
    t.equal(res.headers['access-control-max-age'], '600')
  },
)

t.test(
  'a preflight from another origin does not name it, so the browser sends nothing',
  async (t) => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/todos/1',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
    })
    t.equal(res.headers['access-control-allow-origin'], undefined)
  },
)

t.test('refresh and logout refuse another site’s page, and the session survives', async (t) => {
  const cookies = await logIn()
  for (const url of ['/auth/refresh', '/auth/logout']) {
    const res = await app.inject({
      method: 'POST',
      url,
      cookies,
      headers: { origin: 'https://evil.example' },
    })
    t.equal(res.statusCode, 403, url)
    t.same(res.json(), {
      statusCode: 403,
      code: 'ORIGIN_NOT_ALLOWED',
      error: 'Forbidden',
      message: 'Pages from https://evil.example may not use this route.',
    })
    t.equal(res.headers['set-cookie'], undefined, 'the cookie is left alone')
  }
  const res = await app.inject({ method: 'POST', url: '/auth/refresh', cookies })
  t.equal(res.statusCode, 200, 'the refresh token was neither used nor revoked')
})

t.test('refresh accepts our own page, an allowed origin, and no Origin at all', async (t) => {
  const origins = ['http://kitchen.test', allowed, undefined]
  for (const origin of origins) {
    const headers = origin ? { host: 'kitchen.test', origin } : { host: 'kitchen.test' }
    const res = await app.inject({
      method: 'POST',
      url: '/auth/refresh',
      cookies: await logIn(),
      headers,
    })
    t.equal(res.statusCode, 200, origin ?? 'no Origin header (curl)')
  }
})

t.test('CORS_ORIGINS is a comma-separated list of origins, none by default', async (t) => {
  t.equal(readConfig({}).CORS_ORIGINS, '')
  const origins = 'https://menu.example,http://localhost:5173'
  t.equal(readConfig({ CORS_ORIGINS: origins }).CORS_ORIGINS, origins)
  t.throws(() => readConfig({ CORS_ORIGINS: 'http://localhost:5173/' }), {
    message:
      /CORS_ORIGINS must be a comma-separated list of origins such as https:\/\/example.com \(no path, no \/\) \(got "http:\/\/localhost:5173\/"\)/,
  })
})
