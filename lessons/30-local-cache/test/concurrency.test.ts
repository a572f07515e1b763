import t from 'tap'
import { appForTest } from './helpers.js'

type App = Awaited<ReturnType<typeof appForTest>>

async function createTodo(app: App, title: string) {
  return (await app.inject({ method: 'POST', url: '/todos', payload: { title } })).json()
}

t.test('a new to-do starts at version 1, and every change adds one', async (t) => {
  const app = await appForTest(t)
  const todo = await createTodo(app, 'Milk')
  t.equal(todo.version, 1)
  const changed = await app.inject({
    method: 'PATCH',
    url: `/todos/${todo.id}`,
    payload: { done: true },
  })
  t.equal(changed.json().version, 2, 'a PATCH without a version still counts')
  const list = (
    await app.inject({ method: 'POST', url: '/lists', payload: { name: 'Shop' } })
  ).json()
  const moved = await app.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [todo.id], listId: list.id },
  })
  t.match(moved.json(), [{ version: 3 }], 'a move is a change too')
})

t.test('an update with the current version succeeds and bumps the version', async (t) => {
  const app = await appForTest(t)
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
  const app = await appForTest(t)
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
  t.same(stale.json(), {
    statusCode: 409,
    code: 'VERSION_CONFLICT',
    error: 'Conflict',
    message: `To-do ${todo.id} was changed by someone else since version 1: fetch it again, then retry.`,
  })
  t.match((await app.inject({ method: 'GET', url: `/todos/${todo.id}` })).json(), {
    title: 'Oat milk',
    version: 2,
  })
})

t.test('a versioned update of a to-do that does not exist is still a 404', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'PATCH', url: '/todos/999', payload: { version: 1 } })
  t.equal(res.statusCode, 404)
})

t.test('of two updates racing with the same version, exactly one wins', async (t) => {
  const app = await appForTest(t)
  const todo = await createTodo(app, 'Milk')
  const answers = await Promise.all(
    ['Oat milk', 'Soy milk'].map((title) =>
      app.inject({ method: 'PATCH', url: `/todos/${todo.id}`, payload: { title, version: 1 } }),
    ),
  )
  t.same(answers.map((res) => res.statusCode).sort(), [200, 409])
})

t.test('100 creates at the same time make exactly 100 to-dos with distinct ids', async (t) => {
  const app = await appForTest(t)
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      app.inject({ method: 'POST', url: '/todos', payload: { title: `Task ${i}` } }),
    ),
  )
  t.ok(answers.every((res) => res.statusCode === 201))
  const ids = new Set(answers.map((res) => res.json().id))
  t.equal(ids.size, 100)
  const all = await app.inject({ method: 'GET', url: '/todos?q=task&limit=100' })
  t.equal(all.json().length, 100)
  t.equal(all.headers.link, undefined, 'and not one more')
})
