import { testDatabase } from '@kitchen/db/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { anonymousAppForTest, asUser } from './helpers.js'

// One app and one database for the whole file. Every test has users of its own, and a user
// sees only their own things, so the tests cannot see each other's data either.
const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
const app = await anonymousAppForTest(t, { databaseUrl })
const db = createDatabase(databaseUrl, () => {})
t.teardown(() => db.destroy())

type User = Awaited<ReturnType<typeof asUser>>

let signedUp = 0
/** Two new users of the app, Ann and Bob, each with an `inject` that sends their token. */
async function twoUsers() {
  signedUp += 1
  const ann = await asUser(app, `ann${signedUp}@x.org`)
  const bob = await asUser(app, `bob${signedUp}@x.org`)
  return { ann, bob }
}

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

/** Ann and Bob, each with a list and a to-do; Ann's to-do is in her list (version 2). */
async function annAndBob() {
  const { ann, bob } = await twoUsers()
  const annsList = await createList(ann, 'Ann’s list')
  const annsTodo = await createTodo(ann, 'Ann’s diary')
  await ann.inject({
    method: 'POST',
    url: '/todos/move',
    payload: { todoIds: [annsTodo.id], listId: annsList.id },
  })
  const bobsList = await createList(bob, 'Bob’s list')
  const bobsTodo = await createTodo(bob, 'Bob’s plan')
  return { ann, bob, annsList, annsTodo, bobsList, bobsTodo }
}

t.test('each user sees only their own to-dos and lists', async (t) => {
  const { ann, bob } = await annAndBob()
  t.match(await everything(ann), {
    todos: [{ title: 'Ann’s diary' }],
    lists: [{ name: 'Ann’s list' }],
  })
  const bobs = await everything(bob)
  t.match(bobs, { todos: [{ title: 'Bob’s plan' }], lists: [{ name: 'Bob’s list' }] })
  t.equal(bobs.todos.length, 1)
  t.equal(bobs.lists.length, 1)
})

t.test('another user’s to-do answers 404, exactly like one that does not exist', async (t) => {
  const { bob, annsTodo } = await annAndBob()
  const theirs = await bob.inject({ method: 'GET', url: `/todos/${annsTodo.id}` })
  const nobodys = await bob.inject({ method: 'GET', url: '/todos/99999' })
  t.equal(theirs.statusCode, 404, 'not 403: a 403 would say "this exists"')
  t.same(theirs.json(), {
    statusCode: 404,
    code: 'NOT_FOUND',
    error: 'Not Found',
    message: `There is no to-do with id ${annsTodo.id}.`,
  })
  t.equal(theirs.body, nobodys.body.replace('99999', String(annsTodo.id)), 'byte for byte')
})

t.test('every route answers 404 for another user’s ids, and changes nothing', async (t) => {
  const { ann, bob, annsTodo, annsList, bobsTodo, bobsList } = await annAndBob()
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
  const { bob, annsTodo } = await annAndBob()
  // Ann's to-do is at version 2 (it was moved): a 409 would tell Bob that it exists.
  const res = await bob.inject({
    method: 'PATCH',
    url: `/todos/${annsTodo.id}`,
    payload: { done: true, version: 1 },
  })
  t.equal(res.statusCode, 404)
})

t.test('another user’s list that still has to-dos is 404 on delete, not 409', async (t) => {
  const { bob, annsList } = await annAndBob()
  const res = await bob.inject({ method: 'DELETE', url: `/lists/${annsList.id}` })
  t.equal(res.statusCode, 404)
  t.equal(res.json().message, `There is no list with id ${annsList.id}.`)
})

t.test(
  'another user’s list is, to Bob, a list that does not exist (409, nothing moves)',
  async (t) => {
    const { bob, annsList, bobsTodo } = await annAndBob()
    const nowhere = { todoIds: [bobsTodo.id], listId: 99999 }
    const missing = await bob.inject({ method: 'POST', url: '/todos/move', payload: nowhere })
    const theirs = { todoIds: [bobsTodo.id], listId: annsList.id }
    const res = await bob.inject({ method: 'POST', url: '/todos/move', payload: theirs })
    t.equal(res.statusCode, 409)
    t.equal(res.body, missing.body, 'the same answer as for a list that does not exist')
    t.same(missing.json(), {
      statusCode: 409,
      code: 'REFERENCE_NOT_FOUND',
      error: 'Conflict',
      message: 'The list_id and user_id refers to something that does not exist.',
    })
    const after = await bob.inject({ method: 'GET', url: `/todos/${bobsTodo.id}` })
    t.match(after.json(), { listId: null, version: 1 })
  },
)

t.test('the owner still can do all of it', async (t) => {
  const { ann, annsTodo, annsList } = await annAndBob()
  const url = `/todos/${annsTodo.id}`
  t.equal((await ann.inject({ method: 'GET', url })).statusCode, 200)
  t.equal((await ann.inject({ method: 'PATCH', url, payload: { done: true } })).statusCode, 200)
  t.equal((await ann.inject({ method: 'DELETE', url })).statusCode, 204)
  const emptied = await ann.inject({ method: 'DELETE', url: `/lists/${annsList.id}` })
  t.equal(emptied.statusCode, 204)
})

t.test('two users may each have a list named "Shopping"; one user may not twice', async (t) => {
  const { ann, bob } = await twoUsers()
  const payload = { name: 'Shopping' }
  t.equal((await ann.inject({ method: 'POST', url: '/lists', payload })).statusCode, 201)
  t.equal((await bob.inject({ method: 'POST', url: '/lists', payload })).statusCode, 201)
  const again = await ann.inject({ method: 'POST', url: '/lists', payload })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'ALREADY_EXISTS')
})

t.test('filters, search and sorting see only the caller’s to-dos', async (t) => {
  const { ann, bob } = await twoUsers()
  const milk = await createTodo(ann, 'Buy milk')
  await createTodo(bob, 'Buy a boat')
  await createTodo(bob, 'Buy bread')
  await ann.inject({ method: 'PATCH', url: `/todos/${milk.id}`, payload: { done: true } })
  const titles = async (user: User, url: string) =>
    (await user.inject({ method: 'GET', url })).json().map((todo: { title: string }) => todo.title)
  t.same(await titles(bob, '/todos?q=buy'), ['Buy a boat', 'Buy bread'])
  t.same(await titles(bob, '/todos?q=milk'), [], 'Ann’s milk is not found')
  t.same(await titles(bob, '/todos?done=true'), [])
  t.same(await titles(bob, '/todos?sort=title&order=desc'), ['Buy bread', 'Buy a boat'])
  t.same(await titles(ann, '/todos?q=buy'), ['Buy milk'])
})

t.test('paging shows only the caller’s to-dos, whatever the cursor says', async (t) => {
  const { ann, bob } = await twoUsers()
  // Interleaved, so that the ids of the two users' to-dos alternate.
  const annsIds: number[] = []
  for (let i = 1; i <= 4; i++) {
    annsIds.push((await createTodo(ann, `Ann ${i}`)).id)
    await createTodo(bob, `Bob ${i}`)
  }
  const [first = 0, , third = 0, fourth = 0] = annsIds
  const titles = (res: { json: () => { title: string }[] }) => res.json().map((todo) => todo.title)
  const page = await bob.inject({ method: 'GET', url: '/todos?limit=2' })
  t.same(titles(page), ['Bob 1', 'Bob 2'])
  const next = /<([^>]+)>/.exec(String(page.headers.link))?.[1] as string
  t.same(titles(await bob.inject({ method: 'GET', url: next })), ['Bob 3', 'Bob 4'])

  // Cursors made by hand from Ann's ids and titles only say where to start among Bob's rows.
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const crafted = [
    [
      `/todos?cursor=${encode({ id: first, title: 'Ann 1' })}`,
      ['Bob 1', 'Bob 2', 'Bob 3', 'Bob 4'],
    ],
    [`/todos?cursor=${encode({ id: third, title: 'Ann 3' })}`, ['Bob 3', 'Bob 4']],
    [
      `/todos?order=desc&cursor=${encode({ id: fourth, title: 'Ann 4' })}`,
      ['Bob 3', 'Bob 2', 'Bob 1'],
    ],
    [
      `/todos?sort=title&cursor=${encode({ id: first, title: 'Ann 1' })}`,
      ['Bob 1', 'Bob 2', 'Bob 3', 'Bob 4'],
    ],
    [
      `/todos?sort=title&cursor=${encode({ id: fourth, title: 'Ann 4' })}`,
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
  const { ann, bob, annsTodo, bobsTodo, bobsList } = await annAndBob()
  const bobsThings = await everything(bob)
  const annId = (await ann.inject({ method: 'GET', url: '/me' })).json().id
  const requests = [
    ['POST', '/todos', { title: 'Mine now', userId: annId }, 'userId'],
    ['POST', '/todos', { title: 'Mine now', user_id: annId }, 'user_id'],
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
  const { bob } = await twoUsers()
  const bobId = (await bob.inject({ method: 'GET', url: '/me' })).json().id
  const todo = await createTodo(bob, 'Mine')
  const list = await createList(bob, 'Mine too')
  const todoRow = await db.selectFrom('todos').select('user_id').where('id', '=', todo.id).execute()
  const listRow = await db.selectFrom('lists').select('user_id').where('id', '=', list.id).execute()
  t.same(todoRow, [{ user_id: bobId }])
  t.same(listRow, [{ user_id: bobId }])
})

t.test('to-dos and lists without an owner (from before owners) are seen by nobody', async (t) => {
  const { ann } = await twoUsers()
  const orphan = await db
    .insertInto('todos')
    .values({ title: 'Nobody’s' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('lists').values({ name: 'Nobody’s list' }).execute()
  t.same(await everything(ann), { todos: [], lists: [] })
  t.equal((await ann.inject({ method: 'GET', url: `/todos/${orphan.id}` })).statusCode, 404)
})

t.test('deleting a user deletes their to-dos and lists, and nobody else’s', async (t) => {
  const { ann, bob } = await twoUsers()
  await createTodo(ann, 'Ann’s secret diary')
  await createList(ann, 'Ann’s secret list')
  await createTodo(bob, 'Bob’s plan B')
  await createList(bob, 'Bob’s list B')
  // There is no "delete my account" route yet, so the test deletes Ann with SQL.
  await db.deleteFrom('users').where('email', '=', `ann${signedUp}@x.org`).execute()
  const todos = await db.selectFrom('todos').select('title').execute()
  const lists = await db.selectFrom('lists').select('name').execute()
  t.notOk(
    todos.some((row) => row.title === 'Ann’s secret diary'),
    'ON DELETE CASCADE took Ann’s to-dos with her',
  )
  t.notOk(lists.some((row) => row.name === 'Ann’s secret list'))
  t.match(await everything(bob), {
    todos: [{ title: 'Bob’s plan B' }],
    lists: [{ name: 'Bob’s list B' }],
  })
})
