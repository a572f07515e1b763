import t from 'tap'
import { appForTest, asUser } from './helpers.js'

type App = Awaited<ReturnType<typeof asUser>>

async function createTodo(app: App, title: string) {
  return (await app.inject({ method: 'POST', url: '/todos', payload: { title } })).json()
}

async function createList(app: App, name: string) {
  return app.inject({ method: 'POST', url: '/lists', payload: { name } })
}

t.test('POST /todos/move moves every to-do into the list', async (t) => {
  const app = await asUser(await appForTest(t))
  const list = (await createList(app, 'Shopping')).json()
  const a = await createTodo(app, 'Milk')
  const b = await createTodo(app, 'Bread')
  const res = await app.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [a.id, b.id], listId: list.id },
  })
  t.equal(res.statusCode, 200)
  t.match(res.json(), [
    { id: a.id, listId: list.id, version: 2 },
    { id: b.id, listId: list.id, version: 2 },
  ])
})

t.test('a move that fails half-way moves nothing', async (t) => {
  const app = await asUser(await appForTest(t))
  const list = (await createList(app, 'Shopping')).json()
  const a = await createTodo(app, 'Milk')
  const b = await createTodo(app, 'Bread')
  // The first id moves, the second does not exist: the transaction must undo the first.
  const res = await app.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [a.id, 999, b.id], listId: list.id },
  })
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, 'There is no to-do with id 999: nothing was moved.')
  const todos = (await app.inject({ method: 'GET', url: '/todos' })).json()
  t.same(
    todos.map((todo: { listId: number | null; version: number }) => [todo.listId, todo.version]),
    [
      [null, 1],
      [null, 1],
    ],
  )
})

t.test('moving into a list that does not exist answers 404 and moves nothing', async (t) => {
  const app = await asUser(await appForTest(t))
  const a = await createTodo(app, 'Milk')
  const res = await app.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [a.id], listId: 12345 },
  })
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, 'There is no list with id 12345: nothing was moved.')
  t.equal((await app.inject({ method: 'GET', url: `/todos/${a.id}` })).json().listId, null)
})

t.test('a second list with the same name answers 409 ALREADY_EXISTS', async (t) => {
  const app = await asUser(await appForTest(t))
  t.equal((await createList(app, 'Shopping')).statusCode, 201)
  const again = await createList(app, 'Shopping')
  t.equal(again.statusCode, 409)
  t.match(again.json(), { statusCode: 409, code: 'ALREADY_EXISTS', message: String })
  t.notMatch(again.body, /insert|select|lists_name_key.*\(/i, 'no SQL in the answer')
  t.equal((await app.inject({ method: 'GET', url: '/lists' })).json().length, 1)
})

t.test('a list that still has to-dos cannot be deleted (409)', async (t) => {
  const app = await asUser(await appForTest(t))
  const list = (await createList(app, 'Shopping')).json()
  const a = await createTodo(app, 'Milk')
  await app.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [a.id], listId: list.id },
  })
  const res = await app.inject({ method: 'DELETE', url: `/lists/${list.id}` })
  t.equal(res.statusCode, 409, res.body)
  t.equal(res.json().code, 'STILL_REFERENCED')
  const empty = (await createList(app, 'Empty')).json()
  t.equal((await app.inject({ method: 'DELETE', url: `/lists/${empty.id}` })).statusCode, 204)
})

t.test('100 creates at the same time make exactly 100 to-dos with distinct ids', async (t) => {
  const app = await asUser(await appForTest(t))
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      app.inject({ method: 'POST', url: '/todos', payload: { title: `Task ${i}` } }),
    ),
  )
  t.ok(answers.every((res) => res.statusCode === 201))
  const ids = new Set(answers.map((res) => res.json().id))
  t.equal(ids.size, 100)
  const all = await app.inject({ method: 'GET', url: '/todos?limit=100' })
  t.equal(all.json().length, 100)
  t.equal(all.headers.link, undefined, 'and not one more')
})

t.test('an update with the current version succeeds and bumps the version', async (t) => {
  const app = await asUser(await appForTest(t))
  const todo = await createTodo(app, 'Milk')
  const res = await app.inject({
    method: 'PATCH',
    url: `/todos/${todo.id}`,
    payload: { done: true, version: 1 },
  })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { done: true, version: 2 })
})

t.test('an update with a stale version answers 409 and changes nothing', async (t) => {
  const app = await asUser(await appForTest(t))
  const todo = await createTodo(app, 'Milk')
  // Two people read version 1; the first saves, the second still holds version 1.
  await app.inject({
    method: 'PATCH',
    url: `/todos/${todo.id}`,
    payload: { title: 'Oat milk', version: 1 },
  })
  const stale = await app.inject({
    method: 'PATCH',
    url: `/todos/${todo.id}`,
    payload: { title: 'Soy milk', version: 1 },
  })
  t.equal(stale.statusCode, 409)
  t.equal(stale.json().code, 'VERSION_CONFLICT')
  t.match((await app.inject({ method: 'GET', url: `/todos/${todo.id}` })).json(), {
    title: 'Oat milk',
    version: 2,
  })
})

t.test('of two updates racing with the same version, exactly one wins', async (t) => {
  const app = await asUser(await appForTest(t))
  const todo = await createTodo(app, 'Milk')
  const answers = await Promise.all(
    ['Oat milk', 'Soy milk'].map((title) =>
      app.inject({ method: 'PATCH', url: `/todos/${todo.id}`, payload: { title, version: 1 } }),
    ),
  )
  t.same(answers.map((res) => res.statusCode).sort(), [200, 409])
})

t.test('bad move requests answer 400', async (t) => {
  const app = await asUser(await appForTest(t))
  for (const payload of [
    { todoIds: [], listId: 1 },
    { todoIds: [1, 1], listId: 1 },
    { todoIds: [1] },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/todos/move', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().code, 'VALIDATION_FAILED')
  }
})

t.test('two moves of the same to-dos in opposite orders both succeed (no deadlock)', async (t) => {
  const app = await asUser(await appForTest(t))
  const list = (await createList(app, 'Shopping')).json()
  const ids: number[] = []
  for (let i = 0; i < 30; i++) ids.push((await createTodo(app, `Task ${i}`)).id)
  const answers = await Promise.all(
    [ids, [...ids].reverse()].map((todoIds) =>
      app.inject({ method: 'POST', url: '/todos/move', payload: { todoIds, listId: list.id } }),
    ),
  )
  t.same(
    answers.map((res) => res.statusCode),
    [200, 200],
  )
})
