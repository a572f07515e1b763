import t from 'tap'
import { appForTest, serverForTest } from './helpers.js'

t.test('GET /health answers 200 with {"status":"ok"}', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), { status: 'ok' })
})

t.test('the server answers over real HTTP, as curl would see it', async (t) => {
  const url = await serverForTest(t)
  const res = await fetch(`${url}/health`)
  t.equal(res.status, 200)
  t.same(await res.json(), { status: 'ok' })
})

t.test('a path the server does not know gets 404', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/nothing-here' })
  t.equal(res.statusCode, 404)
})

t.test('a method the route does not handle gets 405, and Allow names those it does', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'DELETE', url: '/health' })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD')
})
