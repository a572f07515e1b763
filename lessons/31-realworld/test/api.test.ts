import t from 'tap'
import { appForTest, asUser, problem, serverForTest } from './helpers.js'

// What every route shares: the spec's error shape, JSON in and out, and CORS.

t.test('an unknown route answers 404 in the spec’s error shape', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/api/nothing-here' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), problem('route', 'GET /api/nothing-here does not exist'))
})

t.test('a body that is not valid JSON answers 400: body is not valid JSON', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  for (const body of ['{"article": ', '{"__proto__": {"admin": true}}']) {
    const res = await jake.inject({
      method: 'POST',
      url: '/api/articles',
      headers: { 'content-type': 'application/json' },
      body,
    })
    t.equal(res.statusCode, 400, body)
    t.same(
      res.json(),
      problem('body', 'is not valid JSON, or has a key that is not allowed (__proto__)'),
    )
  }
})

t.test('a body that is not JSON answers 415, saying what to send', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { 'content-type': 'text/xml' },
    body: '<user/>',
  })
  t.equal(res.statusCode, 415)
  t.same(res.json(), problem('body', 'must be JSON, sent with "Content-Type: application/json"'))
})

t.test('a body over 128 KiB answers 413 before it is read', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/users',
    payload: { user: { bio: 'x'.repeat(130 * 1024) } },
  })
  t.equal(res.statusCode, 413)
  t.same(res.json(), problem('body', 'is too large (128 KiB at most)'))
})

t.test('answers are JSON in UTF-8, as the spec asks', async (t) => {
  const app = await appForTest(t)
  for (const url of ['/api/tags', '/api/articles', '/api/nothing-here']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', url)
  }
})

t.test(
  'a front end on another origin may call the API: CORS allows it, with a token',
  async (t) => {
    const url = await serverForTest(t)
    const preflight = await fetch(`${url}/api/user`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:4200',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    t.equal(preflight.status, 204)
    t.equal(preflight.headers.get('access-control-allow-origin'), '*')
    t.match(preflight.headers.get('access-control-allow-methods'), /PUT/)
    t.match(preflight.headers.get('access-control-allow-methods'), /DELETE/)
    t.match(preflight.headers.get('access-control-allow-headers'), /authorization/i)
    const res = await fetch(`${url}/api/tags`, { headers: { origin: 'http://localhost:4200' } })
    t.equal(res.headers.get('access-control-allow-origin'), '*')
  },
)

t.test('GET /health says the server and its database are up', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.same(res.json(), { status: 'ok', database: 'ok' })
})
