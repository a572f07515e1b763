import t from 'tap'
import { appForTest } from './helpers.js'

t.test('an unknown field in a new to-do is rejected, not silently dropped', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({
    method: 'POST',
    url: '/todos',
    payload: { title: 'Buy milk', done: true, id: 99 },
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    error: 'Bad Request',
    message: 'body has an unknown field "done".',
  })
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.same(list.json(), [])
})

t.test('a change with an unknown field is rejected and changes nothing', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  const res = await app.inject({
    method: 'PATCH',
    url: '/todos/1',
    payload: { done: true, createdAt: '2000-01-01T00:00:00.000Z' },
  })
  t.equal(res.statusCode, 400)
  const after = await app.inject({ method: 'GET', url: '/todos/1' })
  t.match(after.json(), { done: false })
})

t.test('an empty change is rejected: there is nothing to do', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  const res = await app.inject({ method: 'PATCH', url: '/todos/1', payload: {} })
  t.equal(res.statusCode, 400)
  t.equal(res.json().message, 'body must NOT have fewer than 1 properties')
})

t.test('a number is not accepted where true or false belongs', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  const res = await app.inject({ method: 'PATCH', url: '/todos/1', payload: { done: 1 } })
  t.equal(res.statusCode, 400)
})

t.test('answers contain exactly the fields of the response schema', async (t) => {
  const app = await appForTest(t)
  const created = await app.inject({
    method: 'POST',
    url: '/todos',
    payload: { title: 'Buy milk' },
  })
  t.same(Object.keys(created.json()).sort(), [
    'createdAt',
    'done',
    'id',
    'listId',
    'title',
    'version',
  ])
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.same(Object.keys(list.json()[0]).sort(), [
    'createdAt',
    'done',
    'id',
    'listId',
    'title',
    'version',
  ])
})

t.test('text in the URL becomes a number, but a body means exactly what was sent', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  const byId = await app.inject({ method: 'GET', url: '/todos/1' })
  t.equal(byId.json().id, 1, 'the text "1" in the URL is the id 1')
  const numberTitle = await app.inject({ method: 'POST', url: '/todos', payload: { title: 123 } })
  t.equal(numberTitle.statusCode, 400, 'the number 123 is not turned into the text "123"')
  const textDone = await app.inject({
    method: 'PATCH',
    url: '/todos/1',
    payload: { done: 'true' },
  })
  t.equal(textDone.statusCode, 400, 'the text "true" is not turned into true')
})
