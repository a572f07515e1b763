import t from 'tap'
import { appForTest } from './helpers.js'

t.test('the to-do list starts empty', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/todos' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), [])
})

t.test('POST /todos creates a to-do: 201, its location, and the new to-do', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  t.equal(res.statusCode, 201)
  const todo = res.json()
  t.match(todo, { id: 1, title: 'Buy milk', done: false, createdAt: String })
  t.equal(res.headers.location, '/todos/1')
})

t.test('a created to-do shows up in the list and by its id', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'First' } })
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Second' } })
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.same(
    list.json().map((todo: { title: string }) => todo.title),
    ['First', 'Second'],
  )
  const one = await app.inject({ method: 'GET', url: '/todos/2' })
  t.equal(one.statusCode, 200)
  t.equal(one.json().title, 'Second')
})

t.test('PATCH /todos/:id changes only the fields sent', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Water plants' } })
  const res = await app.inject({ method: 'PATCH', url: '/todos/1', payload: { done: true } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id: 1, title: 'Water plants', done: true })
  const renamed = await app.inject({
    method: 'PATCH',
    url: '/todos/1',
    payload: { title: 'Water the plants' },
  })
  t.match(renamed.json(), { title: 'Water the plants', done: true })
})

t.test('DELETE /todos/:id answers 204, then the to-do is gone', async (t) => {
  const app = await appForTest(t)
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Temporary' } })
  const res = await app.inject({ method: 'DELETE', url: '/todos/1' })
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  const after = await app.inject({ method: 'GET', url: '/todos/1' })
  t.equal(after.statusCode, 404)
})

t.test('a slash at the end changes nothing: /todos/ is /todos', async (t) => {
  const app = await appForTest(t)
  const created = await app.inject({ method: 'POST', url: '/todos/', payload: { title: 'Slash' } })
  t.equal(created.statusCode, 201)
  const slash = await app.inject({ method: 'GET', url: '/todos/' })
  const plain = await app.inject({ method: 'GET', url: '/todos' })
  t.equal(slash.statusCode, 200)
  t.same(slash.json(), plain.json())
})
