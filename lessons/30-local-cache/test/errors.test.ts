import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
import { appForTest, serverForTest } from './helpers.js'

const errorShape = { statusCode: Number, code: String, error: String, message: String }

t.test('an unknown route answers 404 in the one error shape, naming the route', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/todo' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), {
    statusCode: 404,
    code: 'ROUTE_NOT_FOUND',
    error: 'Not Found',
    message: 'There is no route GET /todo.',
  })
})

t.test(
  'a path asked with a method it lacks answers 405, and Allow names those it has',
  async (t) => {
    const app = await appForTest(t)
    const res = await app.inject({ method: 'PUT', url: '/todos/1?x=1', payload: { title: 'x' } })
    t.equal(res.statusCode, 405)
    t.equal(res.headers.allow, 'GET, HEAD, PATCH, DELETE')
    t.same(res.json(), {
      statusCode: 405,
      code: 'METHOD_NOT_ALLOWED',
      error: 'Method Not Allowed',
      message: 'PUT is not allowed on /todos/1: use GET, HEAD, PATCH, DELETE.',
    })
    const list = await app.inject({ method: 'DELETE', url: '/todos/' })
    t.equal(list.statusCode, 405, 'with or without a slash at the end')
    t.equal(list.headers.allow, 'GET, HEAD, POST')
  },
)

t.test('every kind of bad request answers with the same four fields', async (t) => {
  const app = await appForTest(t)
  const requests = [
    { method: 'GET', url: '/todos/abc' },
    { method: 'GET', url: '/todos/5' },
    { method: 'POST', url: '/todos', payload: { title: 7 } },
    {
      method: 'POST',
      url: '/todos',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    },
    { method: 'POST', url: '/todos', headers: { 'content-type': 'text/plain' }, payload: 'hi' },
    { method: 'POST', url: '/todos', headers: { 'content-type': 'application/json' }, payload: '' },
    { method: 'PUT', url: '/todos/1', payload: { title: 'x' } },
    { method: 'GET', url: '/todos/%E0%A4%A' },
    { method: 'GET', url: `/todos/${'a'.repeat(101)}` },
  ] as const
  for (const request of requests) {
    const res = await app.inject(request)
    const body = res.json()
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${request.method} ${request.url}: 4xx`)
    t.match(body, errorShape)
    t.same(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'])
    t.equal(body.statusCode, res.statusCode)
    t.notMatch(res.body, /at .*\.(ts|js):\d+/, 'no stack trace')
  }
})

t.test('an empty JSON body answers 400 EMPTY_BODY', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({
    method: 'POST',
    url: '/todos',
    headers: { 'content-type': 'application/json' },
    payload: '',
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'EMPTY_BODY')
})

t.test('text Postgres cannot store answers 400 INVALID_TEXT, not 500', async (t) => {
  const app = await appForTest(t, {
    addRoutes: (app) => {
      app.get('/nul', async () => {
        // What Postgres answers for a NUL character in a parameter (22021).
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
          code: '22021',
        })
      })
    },
  })
  const res = await app.inject({ method: 'GET', url: '/nul' })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'INVALID_TEXT',
    error: 'Bad Request',
    message: 'Text must not contain the NUL character (\\u0000).',
  })
})

t.test('an unexpected error answers 500 and hides its details', async (t) => {
  const app = await appForTest(t, {
    addRoutes: (app) => {
      app.get('/broken', async () => {
        throw new Error('the oven caught fire at /srv/kitchen/oven.ts:12')
      })
    },
  })
  const res = await app.inject({ method: 'GET', url: '/broken' })
  t.equal(res.statusCode, 500)
  t.match(res.json(), {
    statusCode: 500,
    code: 'INTERNAL_ERROR',
    error: 'Internal Server Error',
    message: /^Something went wrong on our side/,
  })
  t.notMatch(res.body, /oven/)
})

/** Send raw bytes over a real connection (inject cannot send broken HTTP), and read the answer. */
async function sendRaw(url: string, raw: string) {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  socket.end(raw)
  let answer = ''
  socket.on('data', (chunk) => {
    answer += chunk
  })
  await once(socket, 'close')
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  return { status: head.split('\r\n')[0], json: JSON.parse(body) }
}

t.test('requests that are not HTTP, or have huge headers, get the one error shape', async (t) => {
  const url = await serverForTest(t)
  for (const raw of ['GARBAGE\r\n\r\n', 'GET /health HTTP/1.1\r\nContent-Length: ab\r\n\r\n']) {
    const { status, json } = await sendRaw(url, raw)
    t.equal(status, 'HTTP/1.1 400 Bad Request', JSON.stringify(raw))
    t.same(json, {
      statusCode: 400,
      code: 'MALFORMED_REQUEST',
      error: 'Bad Request',
      message: 'The request is not valid HTTP.',
    })
  }
  const huge = `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`
  const { status, json } = await sendRaw(url, huge)
  t.equal(status, 'HTTP/1.1 431 Request Header Fields Too Large')
  t.match(json, { statusCode: 431, code: 'HEADERS_TOO_LARGE' })
})
