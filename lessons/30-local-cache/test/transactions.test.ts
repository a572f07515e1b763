import t from 'tap'
import { appForTest } from './helpers.js'

type App = Awaited<ReturnType<typeof appForTest>>

async function createTodo(app: App, title: string) {
  return (await app.inject({ method: 'POST', url: '/todos', payload: { title } })).json()
}

async function createList(app: App, name: string) {
  return (await app.inject({ method: 'POST', url: '/lists', payload: { name } })).json()
}

async function move(app: App, todoIds: number[], listId: number) {
  return app.inject({ method: 'POST', url: '/todos/move', payload: { todoIds, listId } })
}

t.test('POST /todos/move moves every to-do into the list', async (t) => {
  const app = await appForTest(t)
  const list = await createList(app, 'Shopping')
  const a = await createTodo(app, 'Milk')
  const b = await createTodo(app, 'Bread')
  t.equal(a.listId, null, 'a new to-do is in no list')
  const res = await move(app, [b.id, a.id], list.id)
  t.equal(res.statusCode, 200)
  t.match(res.json(), [
    { id: a.id, title: 'Milk', listId: list.id },
    { id: b.id, title: 'Bread', listId: list.id },
  ])
})

t.test('a move that fails half-way moves nothing', async (t) => {
  const app = await appForTest(t)
  const list = await createList(app, 'Groceries')
  const a = await createTodo(app, 'Milk')
  const b = await createTodo(app, 'Bread')
  // The first id moves, the second does not exist: the transaction must undo the first.
  const res = await move(app, [a.id, 999, b.id], list.id)
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, 'There is no to-do with id 999: nothing was moved.')
  for (const todo of [a, b]) {
    const after = await app.inject({ method: 'GET', url: `/todos/${todo.id}` })
    t.equal(after.json().listId, null, `to-do ${todo.id} is still in no list`)
  }
})

t.test('moving into a list that does not exist answers 409 and moves nothing', async (t) => {
  const app = await appForTest(t)
  const a = await createTodo(app, 'Milk')
  const res = await move(app, [a.id], 12345)
  t.equal(res.statusCode, 409)
  t.same(res.json(), {
    statusCode: 409,
    code: 'REFERENCE_NOT_FOUND',
    error: 'Conflict',
    message: 'The list_id and user_id refers to something that does not exist.',
  })
  t.equal((await app.inject({ method: 'GET', url: `/todos/${a.id}` })).json().listId, null)
})

t.test('a list with to-dos in it cannot be deleted (409); an empty one can', async (t) => {
  const app = await appForTest(t)
  const list = await createList(app, 'Baking')
  const a = await createTodo(app, 'Milk')
  await move(app, [a.id], list.id)
  const res = await app.inject({ method: 'DELETE', url: `/lists/${list.id}` })
  t.equal(res.statusCode, 409)
  t.same(res.json(), {
    statusCode: 409,
    code: 'STILL_REFERENCED',
    error: 'Conflict',
    message: 'Other records still refer to this one.',
  })
  const empty = await createList(app, 'Empty')
  t.equal((await app.inject({ method: 'DELETE', url: `/lists/${empty.id}` })).statusCode, 204)
  const gone = await app.inject({ method: 'DELETE', url: `/lists/${empty.id}` })
  t.equal(gone.statusCode, 404)
  t.equal(gone.json().message, `There is no list with id ${empty.id}.`)
})

t.test('bad move requests answer 400', async (t) => {
  const app = await appForTest(t)
  for (const payload of [
    { todoIds: [], listId: 1 },
    { todoIds: [1, 1], listId: 1 },
    { todoIds: [1] },
    { todoIds: ['1'], listId: 1 },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/todos/move', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().code, 'VALIDATION_FAILED')
  }
})

t.test('two moves of the same to-dos in opposite orders both succeed (no deadlock)', async (t) => {
  const app = await appForTest(t)
  const list = await createList(app, 'Cleaning')
  const ids: number[] = []
  for (let i = 0; i < 30; i++) ids.push((await createTodo(app, `Task ${i}`)).id)
  const answers = await Promise.all([move(app, ids, list.id), move(app, ids.toReversed(), list.id)])
  t.same(
    answers.map((res) => res.statusCode),
    [200, 200],
  )
})
