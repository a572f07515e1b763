import t from 'tap'
import { Type } from 'typebox'
import {
  createApp,
  createErrorHandler,
  errorHandler,
  HttpError,
  httpErrors,
  notFoundHandler,
} from '../src/index.js'
import { captureLogs, testApp } from '../src/testing.js'

function appWithRoutes() {
  const app = createApp()
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  app.post(
    '/things',
    { schema: { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) } },
    async (request) => request.body,
  )
  app.get('/missing', async () => {
    throw httpErrors.notFound('Thing 7 does not exist')
  })
  app.get('/crash', async () => {
    throw new Error('secret internal detail at /srv/app.ts:12')
  })
  return app
}

t.test('an HttpError becomes the one error shape', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({ method: 'GET', url: '/missing' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), {
    statusCode: 404,
    code: 'NOT_FOUND',
    error: 'Not Found',
    message: 'Thing 7 does not exist',
  })
})

t.test('an unknown route gets a 404 that names the route', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({ method: 'GET', url: '/nope' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), {
    statusCode: 404,
    code: 'ROUTE_NOT_FOUND',
    error: 'Not Found',
    message: 'There is no route GET /nope.',
  })
})

t.test('malformed JSON is a 400 INVALID_JSON', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({
    method: 'POST',
    url: '/things',
    headers: { 'content-type': 'application/json' },
    payload: '{"name": ',
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'INVALID_JSON')
})

t.test('an unsupported content type is a 415', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({
    method: 'POST',
    url: '/things',
    headers: { 'content-type': 'application/xml' },
    payload: '<name>x</name>',
  })
  t.equal(res.statusCode, 415)
  t.equal(res.json().code, 'UNSUPPORTED_MEDIA_TYPE')
})

t.test('a body over the limit is a 413', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({
    method: 'POST',
    url: '/things',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) }),
  })
  t.equal(res.statusCode, 413)
  t.equal(res.json().code, 'BODY_TOO_LARGE')
})

t.test('an unknown field is named in the 400', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({
    method: 'POST',
    url: '/things',
    payload: { name: 'a', admin: true },
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    error: 'Bad Request',
    message: 'body has an unknown field "admin".',
  })
})

t.test('a body field of the wrong type is rejected, not converted', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 123 } })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'VALIDATION_FAILED')
  t.match(res.json().message, /body\/name must be string/)
})

t.test('an unexpected error is a 500 that hides its details', async (t) => {
  const app = await testApp(t, appWithRoutes())
  const res = await app.inject({ method: 'GET', url: '/crash' })
  t.equal(res.statusCode, 500)
  const body = res.json()
  t.equal(body.code, 'INTERNAL_ERROR')
  t.notMatch(res.body, /secret internal detail/)
  t.match(body.message, res.headers['x-request-id'] as string)
})

t.test('a translator turns other errors into HTTP answers', async (t) => {
  const app = createApp()
  app.setErrorHandler(
    createErrorHandler([
      (error) =>
        (error as { code?: string }).code === 'ECONNREFUSED'
          ? new HttpError(503, 'DATABASE_UNAVAILABLE', 'The database is not answering.')
          : undefined,
    ]),
  )
  app.get('/db', async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  })
  await testApp(t, app)
  const res = await app.inject({ method: 'GET', url: '/db' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), {
    statusCode: 503,
    code: 'DATABASE_UNAVAILABLE',
    error: 'Service Unavailable',
    message: 'The database is not answering.',
  })
})

t.test('an expected 503 is logged as a warning, an unexpected 500 as an error', async (t) => {
  const logs = captureLogs()
  const app = createApp({ logLevel: 'info', logStream: logs.stream })
  app.setErrorHandler(errorHandler)
  app.get('/down', async () => {
    throw httpErrors.serviceUnavailable('The database is not answering.', 'DATABASE_UNAVAILABLE')
  })
  app.get('/crash', async () => {
    throw new Error('boom')
  })
  await testApp(t, app)
  await app.inject({ method: 'GET', url: '/down' })
  await app.inject({ method: 'GET', url: '/crash' })
  const problems = logs.lines().filter((line) => (line.level as number) >= 40)
  t.match(problems, [
    { level: 40, msg: 'The database is not answering.', code: 'DATABASE_UNAVAILABLE' },
    { level: 50, msg: 'request failed', err: { message: 'boom' } },
  ])
  t.notOk('err' in (problems[0] ?? {}), 'no stack trace for the expected one')
})
