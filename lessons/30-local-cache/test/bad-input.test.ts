import t, { type Test } from 'tap'
import { appForTest } from './helpers.js'

async function appWithOneTodo(t: Test) {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Existing' } })
  return app
}

t.test('an unknown id answers 404 on read, change and delete', async (t) => {
  const app = await appWithOneTodo(t)
  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    const res = await app.inject({
      method,
      url: '/todos/999',
      payload: method === 'PATCH' ? { done: true } : undefined,
    })
    t.equal(res.statusCode, 404, method)
    t.same(res.json(), {
      statusCode: 404,
      code: 'NOT_FOUND',
      error: 'Not Found',
      message: 'There is no to-do with id 999.',
    })
  }
})

t.test('a malformed id answers 400, never 500', async (t) => {
  const app = await appWithOneTodo(t)
  for (const id of ['abc', '1.5', '-3', '0', '99999999999999999999']) {
    const res = await app.inject({ method: 'GET', url: `/todos/${id}` })
    t.equal(res.statusCode, 400, id)
    t.match(res.json(), {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      error: 'Bad Request',
      message: /^params\/id must be/,
    })
  }
})

t.test('a to-do without a title is rejected with 400', async (t) => {
  const app = await appWithOneTodo(t)
  const cases = [
    { payload: {}, message: "body must have required property 'title'" },
    { payload: { title: '' }, message: 'body/title must NOT have fewer than 1 characters' },
    { payload: { title: '   ' }, message: 'body/title must match pattern "\\S"' },
    { payload: { title: 42 }, message: 'body/title must be string' },
  ]
  for (const { payload, message } of cases) {
    const res = await app.inject({ method: 'POST', url: '/todos', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().message, message)
  }
})

t.test('a body that is not a JSON object is rejected with 400', async (t) => {
  const app = await appWithOneTodo(t)
  const res = await app.inject({
    method: 'POST',
    url: '/todos',
    headers: { 'content-type': 'application/json' },
    payload: '["a list"]',
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().message, 'body must be object')
})

t.test('a change of the wrong type is rejected with 400 and changes nothing', async (t) => {
  const app = await appWithOneTodo(t)
  const res = await app.inject({ method: 'PATCH', url: '/todos/1', payload: { done: 'yes' } })
  t.equal(res.statusCode, 400)
  t.equal(res.json().message, 'body/done must be boolean')
  const after = await app.inject({ method: 'GET', url: '/todos/1' })
  t.equal(after.json().done, false)
})

t.test('malformed JSON answers 400', async (t) => {
  const app = await appWithOneTodo(t)
  const res = await app.inject({
    method: 'POST',
    url: '/todos',
    headers: { 'content-type': 'application/json' },
    payload: '{"title": "Buy milk"',
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'INVALID_JSON',
    error: 'Bad Request',
    message: 'The body is not valid JSON, or has a key that is not allowed (__proto__).',
  })
})

t.test('a __proto__ key is refused, and says so', async (t) => {
  const app = await appWithOneTodo(t)
  for (const payload of [
    '{"title":"x","__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{}}}',
  ]) {
    const res = await app.inject({
      method: 'POST',
      url: '/todos',
      headers: { 'content-type': 'application/json' },
      payload,
    })
    t.equal(res.statusCode, 400, payload)
    t.match(res.json(), { code: 'INVALID_JSON', message: /__proto__/ })
  }
})

t.test('a content type other than JSON answers 415', async (t) => {
  const app = await appWithOneTodo(t)
  const res = await app.inject({
    method: 'POST',
    url: '/todos',
    headers: { 'content-type': 'text/xml' },
    payload: '<title>Buy milk</title>',
  })
  t.equal(res.statusCode, 415)
  t.match(res.json(), {
    statusCode: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    error: 'Unsupported Media Type',
  })
})

t.test('a body over 16 KiB answers 413 and stores nothing', async (t) => {
  const app = await appWithOneTodo(t)
  const res = await app.inject({
    method: 'POST',
    url: '/todos',
    payload: { title: 'x'.repeat(17 * 1024) }, // a title of 500 at most: 413, not 400
  })
  t.equal(res.statusCode, 413)
  t.same(res.json(), {
    statusCode: 413,
    code: 'BODY_TOO_LARGE',
    error: 'Payload Too Large',
    message: 'The body is too large.',
  })
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.equal(list.json().length, 1)
})

t.test('a 10,000-character title is rejected with 400 and stores nothing', async (t) => {
  const app = await appWithOneTodo(t)
  const title = 'a'.repeat(10_000)
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title } })
  t.equal(res.statusCode, 400)
  t.equal(res.json().message, 'body/title must NOT have more than 500 characters')
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.equal(list.json().length, 1)
})

t.test('a NUL character in a text answers 400 naming the field, and stores nothing', async (t) => {
  const app = await appWithOneTodo(t)
  const created = await app.inject({
    method: 'POST',
    url: '/todos',
    payload: { title: 'a\u0000b' },
  })
  t.equal(created.statusCode, 400)
  t.equal(created.json().message, 'body/title must not contain the NUL character (\\u0000)')
  const changed = await app.inject({
    method: 'PATCH',
    url: '/todos/1',
    payload: { title: '\u0000' },
  })
  t.equal(changed.statusCode, 400)
  t.match(changed.json().message, /^body\/title must not contain the NUL character/)
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.same(
    list.json().map((todo: { title: string }) => todo.title),
    ['Existing'],
  )
})

t.test('SQL and HTML metacharacters are plain data', async (t) => {
  const app = await appWithOneTodo(t)
  const title = `Robert'); DROP TABLE todos;-- <script>alert("hi")</script> & "quotes" \\ 100%`
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title } })
  t.equal(res.statusCode, 201)
  const stored = await app.inject({ method: 'GET', url: `/todos/${res.json().id}` })
  t.equal(stored.json().title, title)
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.equal(list.json().length, 2, 'nothing was dropped')
})
