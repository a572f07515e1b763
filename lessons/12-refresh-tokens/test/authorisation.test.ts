import { testApp } from '@kitchen/core/testing'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { createDatabase } from '../src/db/database.js'
import { appForTest, databaseForTest, testJwtSecret, twoUsers } from './helpers.js'

type User = Awaited<ReturnType<typeof twoUsers>>['ann']

async function createTodo(user: User, title: string) {
  return (await user.inject({ method: 'POST', url: '/todos', payload: { title } })).json()
}

async function createList(user: User, name: string) {
  return (await user.inject({ method: 'POST', url: '/lists', payload: { name } })).json()
}

/** Everything a user can see: their to-dos and their lists. */
async function everything(user: User) {
  const todos = await user.inject({ method: 'GET', url: '/todos?limit=100' })
  const lists = await user.inject({ method: 'GET', url: '/lists' })
  return { todos: todos.json(), lists: lists.json() }
}

/** Ann and Bob, each with a list and a to-do in it, and Bob with a second to-do. */
async function annAndBob(t: Test) {
  const app = await appForTest(t)
  const { ann, bob } = await twoUsers(app)
  const annsList = await createList(ann, 'Ann’s list')
  const annsTodo = await createTodo(ann, 'Ann’s diary')
  await ann.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [annsTodo.id], listId: annsList.id },
  })
  const bobsList = await createList(bob, 'Bob’s list')
  const bobsTodo = await createTodo(bob, 'Bob’s plan')
  return { app, ann, bob, annsList, annsTodo, bobsList, bobsTodo }
}

t.test('each user sees only their own to-dos and lists', async (t) => {
  const { ann, bob } = await annAndBob(t)
  t.match(await everything(ann), {
    todos: [{ title: 'Ann’s diary' }],
    lists: [{ name: 'Ann’s list' }],
  })
  t.match(await everything(bob), {
    todos: [{ title: 'Bob’s plan' }],
    lists: [{ name: 'Bob’s list' }],
  })
  t.equal((await everything(bob)).todos.length, 1)
  t.equal((await everything(bob)).lists.length, 1)
})

t.test('another user’s to-do answers 404, exactly like one that does not exist', async (t) => {
  const { bob, annsTodo } = await annAndBob(t)
  const theirs = await bob.inject({ method: 'GET', url: `/todos/${annsTodo.id}` })
  const nobodys = await bob.inject({ method: 'GET', url: '/todos/999' })
  t.equal(theirs.statusCode, 404, 'not 403: a 403 would say "this exists"')
  t.same(theirs.json(), {
    statusCode: 404,
    code: 'NOT_FOUND',
    error: 'Not Found',
    message: `There is no to-do with id ${annsTodo.id}.`,
  })
  t.equal(theirs.body, nobodys.body.replace('999', String(annsTodo.id)), 'byte for byte')
})

t.test('every route answers 404 for another user’s ids, and changes nothing', async (t) => {
  const { ann, bob, annsTodo, annsList, bobsTodo, bobsList } = await annAndBob(t)
  const before = await everything(ann)
  const requests = [
    { method: 'GET', url: `/todos/${annsTodo.id}` },
    { method: 'PATCH', url: `/todos/${annsTodo.id}`, payload: { title: 'Bob was here' } },
    { method: 'PATCH', url: `/todos/${annsTodo.id}`, payload: { done: true, version: 2 } },
    { method: 'DELETE', url: `/todos/${annsTodo.id}` },
    // Ann's to-do into Bob's list, with one of Bob's own to-dos: all or nothing.
    {
      method: 'POST',
      url: '/todos/move',
      payload: { todoIds: [bobsTodo.id, annsTodo.id], listId: bobsList.id },
    },
    // Bob's own to-do into Ann's list.
    {
      method: 'POST',
      url: '/todos/move',
      payload: { todoIds: [bobsTodo.id], listId: annsList.id },
    },
    { method: 'DELETE', url: `/lists/${annsList.id}` },
  ] as const
  for (const request of requests) {
    const res = await bob.inject(request)
    t.equal(res.statusCode, 404, `${request.method} ${request.url} ${JSON.stringify(request)}`)
    t.equal(res.json().code, 'NOT_FOUND')
  }
  t.same(await everything(ann), before, 'Ann’s to-dos and lists are exactly as they were')
  t.match(await everything(bob), { todos: [{ id: bobsTodo.id, listId: null, version: 1 }] })
})

t.test('a PATCH with a stale version of another user’s to-do is 404, not 409', async (t) => {
  const { bob, annsTodo } = await annAndBob(t)
  // Ann's to-do is at version 2 (it was moved): a 409 would tell Bob that it exists.
  const res = await bob.inject({
    method: 'PATCH',
    url: `/todos/${annsTodo.id}`,
    payload: { done: true, version: 1 },
  })
  t.equal(res.statusCode, 404)
})

t.test('another user’s list that still has to-dos is 404 on delete, not 409', async (t) => {
  const { bob, annsList } = await annAndBob(t)
  const res = await bob.inject({ method: 'DELETE', url: `/lists/${annsList.id}` })
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, `There is no list with id ${annsList.id}.`)
})

t.test('a move naming another user’s list answers 404 and moves nothing', async (t) => {
  const { bob, annsList, bobsTodo } = await annAndBob(t)
  const res = await bob.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [bobsTodo.id], listId: annsList.id },
  })
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, `There is no list with id ${annsList.id}: nothing was moved.`)
  const after = await bob.inject({ method: 'GET', url: `/todos/${bobsTodo.id}` })
  t.match(after.json(), { listId: null, version: 1 })
})

t.test('the owner still can do all of it', async (t) => {
  const { ann, annsTodo, annsList } = await annAndBob(t)
  const url = `/todos/${annsTodo.id}`
  t.equal((await ann.inject({ method: 'GET', url })).statusCode, 200)
  t.equal((await ann.inject({ method: 'PATCH', url, payload: { done: true } })).statusCode, 200)
  t.equal((await ann.inject({ method: 'DELETE', url })).statusCode, 204)
  const emptied = await ann.inject({ method: 'DELETE', url: `/lists/${annsList.id}` })
  t.equal(emptied.statusCode, 204)
})

t.test('two users may each have a list named "Shopping"; one user may not twice', async (t) => {
  const app = await appForTest(t)
  const { ann, bob } = await twoUsers(app)
  const payload = { name: 'Shopping' }
  t.equal((await ann.inject({ method: 'POST', url: '/lists', payload })).statusCode, 201)
  t.equal((await bob.inject({ method: 'POST', url: '/lists', payload })).statusCode, 201)
  const again = await ann.inject({ method: 'POST', url: '/lists', payload })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'ALREADY_EXISTS')
})

t.test('filters, search and sorting see only the caller’s to-dos', async (t) => {
  const app = await appForTest(t)
  const { ann, bob } = await twoUsers(app)
  await createTodo(ann, 'Buy milk')
  await createTodo(bob, 'Buy a boat')
  await createTodo(bob, 'Buy bread')
  await ann.inject({ method: 'PATCH', url: '/todos/1', payload: { done: true } })
  const titles = async (user: User, url: string) =>
    (await user.inject({ method: 'GET', url })).json().map((todo: { title: string }) => todo.title)
  t.same(await titles(bob, '/todos?q=buy'), ['Buy a boat', 'Buy bread'])
  t.same(await titles(bob, '/todos?q=milk'), [], 'Ann’s milk is not found')
  t.same(await titles(bob, '/todos?done=true'), [])
  t.same(await titles(bob, '/todos?sort=title&order=desc'), ['Buy bread', 'Buy a boat'])
  t.same(await titles(ann, '/todos?q=buy'), ['Buy milk'])
})

t.test('paging shows only the caller’s to-dos, whatever the cursor says', async (t) => {
  const app = await appForTest(t)
  const { ann, bob } = await twoUsers(app)
  // Interleaved, so that the ids of the two users' to-dos alternate.
  for (let i = 1; i <= 4; i++) {
    await createTodo(ann, `Ann ${i}`)
    await createTodo(bob, `Bob ${i}`)
  }
  const titles = (res: { json: () => { title: string }[] }) => res.json().map((todo) => todo.title)
  const first = await bob.inject({ method: 'GET', url: '/todos?limit=2' })
  t.same(titles(first), ['Bob 1', 'Bob 2'])
  const next = /<([^>]+)>/.exec(String(first.headers.link))?.[1] as string
  t.same(titles(await bob.inject({ method: 'GET', url: next })), ['Bob 3', 'Bob 4'])

  // Cursors made by hand from Ann's ids and titles only say where to start among Bob's rows.
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const crafted = [
    [`/todos?cursor=${encode({ id: 1 })}`, ['Bob 1', 'Bob 2', 'Bob 3', 'Bob 4']],
    [`/todos?cursor=${encode({ id: 5 })}`, ['Bob 3', 'Bob 4']],
    [`/todos?order=desc&cursor=${encode({ id: 7 })}`, ['Bob 3', 'Bob 2', 'Bob 1']],
    [
      `/todos?sort=title&cursor=${encode({ id: 1, title: 'Ann 1' })}`,
      ['Bob 1', 'Bob 2', 'Bob 3', 'Bob 4'],
    ],
    [
      `/todos?sort=title&cursor=${encode({ id: 7, title: 'Ann 4' })}`,
      ['Bob 1', 'Bob 2', 'Bob 3', 'Bob 4'],
    ],
  ] as const
  for (const [url, expected] of crafted) {
    const res = await bob.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200, url)
    t.same(titles(res), expected, url)
  }
})

t.test('an owner sent in a body is refused (400): the owner comes from the token', async (t) => {
  const { ann, bob, annsTodo, bobsTodo, bobsList } = await annAndBob(t)
  const bobsThings = await everything(bob)
  const annId = (await ann.inject({ method: 'GET', url: '/me' })).json().id
  const requests = [
    ['POST', '/todos', { title: 'Mine now', userId: annId }, 'userId'],
    ['POST', '/todos', { title: 'Mine now', user_id: annId }, 'user_id'],
    ['POST', '/todos', { title: 'Mine now', ownerId: annId }, 'ownerId'],
    ['PATCH', `/todos/${bobsTodo.id}`, { done: true, userId: annId }, 'userId'],
    ['PATCH', `/todos/${bobsTodo.id}`, { user_id: annId }, 'user_id'],
    ['POST', '/lists', { name: 'Groceries', userId: annId }, 'userId'],
    ['POST', '/lists', { name: 'Groceries', ownerId: annId }, 'ownerId'],
    [
      'POST',
      '/todos/move',
      { todoIds: [bobsTodo.id], listId: bobsList.id, userId: annId },
      'userId',
    ],
  ] as const
  for (const [method, url, payload, field] of requests) {
    const res = await bob.inject({ method, url, payload })
    t.equal(res.statusCode, 400, `${method} ${url} with ${field}`)
    t.same(res.json(), {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      error: 'Bad Request',
      message: `body has an unknown field "${field}".`,
    })
  }
  t.same(await everything(bob), bobsThings, 'nothing was created or changed')
  t.equal((await ann.inject({ method: 'GET', url: `/todos/${annsTodo.id}` })).json().version, 2)
})

t.test('a new to-do and a new list belong to the user whose token made them', async (t) => {
  const databaseUrl = await databaseForTest(t)
  const app = await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret }))
  const { bob } = await twoUsers(app)
  const bobId = (await bob.inject({ method: 'GET', url: '/me' })).json().id
  const todo = await createTodo(bob, 'Mine')
  const list = await createList(bob, 'Mine too')
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  const todoRow = await db.selectFrom('todos').select('user_id').where('id', '=', todo.id).execute()
  const listRow = await db.selectFrom('lists').select('user_id').where('id', '=', list.id).execute()
  t.same(todoRow, [{ user_id: bobId }])
  t.same(listRow, [{ user_id: bobId }])
})

t.test(
  'to-dos and lists without an owner (from before lesson 11) are seen by nobody',
  async (t) => {
    const databaseUrl = await databaseForTest(t)
    const app = await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret }))
    const { ann } = await twoUsers(app)
    const db = createDatabase(databaseUrl, () => {})
    t.teardown(() => db.destroy())
    const orphan = await db
      .insertInto('todos')
      .values({ title: 'Nobody’s' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('lists').values({ name: 'Nobody’s list' }).execute()
    t.same(await everything(ann), { todos: [], lists: [] })
    t.equal((await ann.inject({ method: 'GET', url: `/todos/${orphan.id}` })).statusCode, 404)
  },
)

t.test('deleting a user deletes their to-dos and lists, and nobody else’s', async (t) => {
  const databaseUrl = await databaseForTest(t)
  const app = await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret }))
  const { ann, bob } = await twoUsers(app)
  await createTodo(ann, 'Ann’s diary')
  await createList(ann, 'Ann’s list')
  await createTodo(bob, 'Bob’s plan')
  await createList(bob, 'Bob’s list')
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())

  // There is no "delete my account" route yet, so the test deletes Ann with SQL.
  await db.deleteFrom('users').where('email', '=', 'ann@x.org').execute()
  const todos = await db.selectFrom('todos').select('title').execute()
  const lists = await db.selectFrom('lists').select('name').execute()
  t.same(todos, [{ title: 'Bob’s plan' }], 'ON DELETE CASCADE took Ann’s to-dos with her')
  t.same(lists, [{ name: 'Bob’s list' }])
  t.match(await everything(bob), {
    todos: [{ title: 'Bob’s plan' }],
    lists: [{ name: 'Bob’s list' }],
  })
})
