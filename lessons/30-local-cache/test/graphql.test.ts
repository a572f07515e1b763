import { testDatabase } from '@kitchen/db/testing'
import { captureLogs } from '@kitchen/testing'
import t from 'tap'
import { migrateToLatest } from '../src/db/migrate.js'
import { anonymousAppForTest, asUser, signIn } from './helpers.js'

// One app and one database for the whole file; every test signs up users of its own, and a
// user sees only their own things. The SQL of the loader test is logged by an app of its own.
const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
const app = await anonymousAppForTest(t, { databaseUrl })
const logs = captureLogs()
const logged = await anonymousAppForTest(t, {
  databaseUrl,
  logLevel: 'info',
  logStream: logs.stream,
  logSql: true,
})

type User = Awaited<ReturnType<typeof asUser>>

let signedUp = 0
/** Two new users, Ann and Bob, each with an `inject` that sends their token. */
async function twoUsers(on = app) {
  signedUp += 1
  return {
    ann: await asUser(on, `ann${signedUp}@x.org`),
    bob: await asUser(on, `bob${signedUp}@x.org`),
  }
}

/** POST /graphql: a query (or mutation) and its variables, the way GraphQL clients send them. */
function graphql(user: Pick<User, 'inject'>, query: string, variables?: object) {
  return user.inject({ method: 'POST', url: '/graphql', payload: { query, variables } })
}

async function createTodo(user: User, title: string) {
  return (await user.inject({ method: 'POST', url: '/todos', payload: { title } })).json()
}

/** Everything a user can see over REST: their to-dos and their lists. */
async function everything(user: User) {
  const todos = await user.inject({ method: 'GET', url: '/todos?limit=100' })
  const lists = await user.inject({ method: 'GET', url: '/lists' })
  return { todos: todos.json(), lists: lists.json() }
}

t.test('me is the user of the access token, the same as GET /me', async (t) => {
  const { ann } = await twoUsers()
  const rest = (await ann.inject({ method: 'GET', url: '/me' })).json()
  const res = await graphql(ann, '{ me { id email createdAt } }')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { data: { me: rest } })
})

t.test('the client chooses the fields: only those asked for come back', async (t) => {
  const { ann } = await twoUsers()
  await createTodo(ann, 'Buy milk')
  const res = await graphql(ann, '{ todos { todos { title } } }')
  t.same(res.json(), { data: { todos: { todos: [{ title: 'Buy milk' }] } } })
})

t.test('the password hash is not in the schema: asking for it is refused', async (t) => {
  const { ann } = await twoUsers()
  const res = await graphql(ann, '{ me { email passwordHash } }')
  t.equal(res.statusCode, 400)
  t.match(res.json(), {
    data: null,
    errors: [{ message: 'Cannot query field "passwordHash" on type "User".' }],
  })
})

t.test('filters, sorting and cursor pages give what GET /todos gives', async (t) => {
  const { ann } = await twoUsers()
  for (const title of ['Buy milk', 'call mum', 'Buy bread', 'Fix bike', 'buy stamps']) {
    const todo = await createTodo(ann, title)
    if (title.includes('b')) {
      await ann.inject({ method: 'PATCH', url: `/todos/${todo.id}`, payload: { done: true } })
    }
  }
  /** Every page of GET /todos with this query string, following the Link headers. */
  async function restPages(query: string) {
    const pages = []
    for (let url: string | undefined = `/todos?${query}`; url; ) {
      const res = await ann.inject({ method: 'GET', url })
      pages.push(res.json().map((todo: { title: string }) => todo.title))
      url = /<([^>]+)>/.exec(String(res.headers.link ?? ''))?.[1]
    }
    return pages
  }
  /** Every page of `todos(…)`, following nextCursor. */
  async function graphqlPages(args: string) {
    const pages = []
    let cursor: string | null = null
    do {
      const query =
        'query ($cursor: String) { todos(ARGS, cursor: $cursor) { todos { title } nextCursor } }'
      const res = await graphql(ann, query.replace('ARGS', args), { cursor })
      const page = res.json().data.todos
      pages.push(page.todos.map((todo: { title: string }) => todo.title))
      cursor = page.nextCursor
    } while (cursor)
    return pages
  }
  const cases: [string, string][] = [
    ['limit=2', 'limit: 2'],
    ['done=true&limit=2', 'done: true, limit: 2'],
    ['q=buy&sort=title&order=desc&limit=2', 'q: "buy", sort: title, order: desc, limit: 2'],
    ['done=false&sort=title', 'done: false, sort: title'],
  ]
  for (const [query, args] of cases) {
    const rest = await restPages(query)
    t.same(await graphqlPages(args), rest, args)
    t.ok(rest.flat().length > 0, `${query} finds to-dos`)
  }
})

t.test('creates, changes and deletes a to-do with mutations', async (t) => {
  const { ann } = await twoUsers()
  const created = await graphql(
    ann,
    'mutation { createTodo(title: "Buy milk") { id title done version } }',
  )
  const todo = created.json().data.createTodo
  t.match(todo, { id: Number, title: 'Buy milk', done: false, version: 1 })
  const update =
    'mutation ($id: Int!) { updateTodo(id: $id, done: true, version: 1) { done version } }'
  const updated = await graphql(ann, update, { id: todo.id })
  t.same(updated.json(), { data: { updateTodo: { done: true, version: 2 } } })
  const rest = await ann.inject({ method: 'GET', url: `/todos/${todo.id}` })
  t.match(rest.json(), { title: 'Buy milk', done: true, version: 2 }, 'REST sees the same to-do')
  const deleted = await graphql(ann, 'mutation ($id: Int!) { deleteTodo(id: $id) }', {
    id: todo.id,
  })
  t.same(deleted.json(), { data: { deleteTodo: true } })
  t.equal((await ann.inject({ method: 'GET', url: `/todos/${todo.id}` })).statusCode, 404)
})

t.test(
  'a stale version is refused in `errors` with REST’s code, and nothing changes',
  async (t) => {
    const { ann } = await twoUsers()
    const todo = await createTodo(ann, 'Buy milk')
    await ann.inject({
      method: 'PATCH',
      url: `/todos/${todo.id}`,
      payload: { title: 'Buy oat milk' },
    })
    const update = 'mutation ($id: Int!) { updateTodo(id: $id, done: true, version: 1) { done } }'
    const res = await graphql(ann, update, { id: todo.id })
    t.equal(res.statusCode, 200, 'the query ran: 200, and the error is in `errors`')
    t.same(res.json(), {
      data: { updateTodo: null },
      errors: [
        {
          message: `To-do ${todo.id} was changed by someone else since version 1: fetch it again, then retry.`,
          locations: [{ line: 1, column: 24 }],
          path: ['updateTodo'],
          extensions: { code: 'VERSION_CONFLICT' },
        },
      ],
    })
    const rest = await ann.inject({ method: 'GET', url: `/todos/${todo.id}` })
    t.match(rest.json(), { done: false, version: 2 })
  },
)

t.test('one field’s error leaves the others’ answers in `data`', async (t) => {
  const { ann } = await twoUsers()
  const todo = await createTodo(ann, 'Buy milk')
  const query =
    'query ($id: Int!) { mine: todo(id: $id) { title } none: todo(id: 99999) { title } }'
  const res = await graphql(ann, query, { id: todo.id })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    data: { mine: { title: 'Buy milk' }, none: null },
    errors: [
      {
        message: 'There is no to-do with id 99999.',
        locations: [{ line: 1, column: 51 }],
        path: ['none'],
        extensions: { code: 'NOT_FOUND' },
      },
    ],
  })
})

t.test(
  'another user’s to-dos and lists are not found, and nothing of theirs changes',
  async (t) => {
    const { ann, bob } = await twoUsers()
    const annsTodo = await createTodo(ann, 'Ann’s diary')
    const annsList = (
      await ann.inject({ method: 'POST', url: '/lists', payload: { name: 'Ann’s' } })
    ).json()
    const bobsTodo = await createTodo(bob, 'Bob’s plan')
    const bobsList = (
      await bob.inject({ method: 'POST', url: '/lists', payload: { name: 'Bob’s' } })
    ).json()
    const before = await everything(ann)
    const requests = [
      'query ($id: Int!) { todo(id: $id) { title } }',
      'mutation ($id: Int!) { updateTodo(id: $id, title: "Bob was here") { title } }',
      'mutation ($id: Int!) { updateTodo(id: $id, done: true, version: 1) { title } }',
      'mutation ($id: Int!) { deleteTodo(id: $id) }',
      `mutation ($id: Int!) { moveTodos(todoIds: [${bobsTodo.id}, $id], listId: ${bobsList.id}) { id } }`,
    ]
    for (const query of requests) {
      const res = await graphql(bob, query, { id: annsTodo.id })
      const nobodys = await graphql(bob, query, { id: 99999 })
      t.match(res.json(), { data: {}, errors: [{ extensions: { code: 'NOT_FOUND' } }] }, query)
      t.equal(
        res.body,
        nobodys.body.replace('99999', String(annsTodo.id)),
        'as if it did not exist',
      )
    }
    // Bob's to-do into Ann's list: her list does not exist for him (REST answers the same).
    const intoAnns = `mutation { moveTodos(todoIds: [${bobsTodo.id}], listId: ${annsList.id}) { id } }`
    t.match((await graphql(bob, intoAnns)).json(), {
      errors: [{ extensions: { code: 'REFERENCE_NOT_FOUND' } }],
    })
    const bobs = await graphql(
      bob,
      '{ todos { todos { title listId } } lists { name todos { id } } }',
    )
    t.same(bobs.json().data, {
      todos: { todos: [{ title: 'Bob’s plan', listId: null }] },
      lists: [{ name: 'Bob’s', todos: [] }],
    })
    t.same(await everything(ann), before, 'Ann’s to-dos and lists are exactly as they were')
  },
)

t.test('a list name used twice is ALREADY_EXISTS, as over REST', async (t) => {
  const { ann } = await twoUsers()
  const create = 'mutation { createList(name: "Shopping") { name } }'
  t.same((await graphql(ann, create)).json(), { data: { createList: { name: 'Shopping' } } })
  t.match((await graphql(ann, create)).json(), {
    data: { createList: null },
    errors: [
      {
        message: 'Another record already has this user_id and name.',
        extensions: { code: 'ALREADY_EXISTS' },
      },
    ],
  })
})

t.test('without a token: 401 MISSING_TOKEN, as over REST, in GraphQL’s shape', async (t) => {
  const res = await graphql(app, 'mutation { createTodo(title: "Sneaky") { id } }')
  t.equal(res.statusCode, 401)
  t.equal(res.headers['www-authenticate'], 'Bearer')
  t.same(res.json(), {
    data: null,
    errors: [
      {
        message: 'Log in first. Send the token as "Authorization: Bearer <token>".',
        extensions: { code: 'MISSING_TOKEN' },
      },
    ],
  })
})

t.test('a token whose user was changed by hand (forged) is 401 INVALID_TOKEN', async (t) => {
  signedUp += 1
  const bobsToken = await signIn(app, `bob${signedUp}@x.org`)
  // Bob edits his token to say he is user 1: the signature no longer matches.
  const [header, payload = '', signature] = bobsToken.split('.')
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: '1' }
  const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${forged}` },
    payload: { query: '{ me { email } }' },
  })
  t.equal(res.statusCode, 401)
  t.same(res.json(), {
    data: null,
    errors: [
      { message: 'The token is not valid: log in again.', extensions: { code: 'INVALID_TOKEN' } },
    ],
  })
})

t.test(
  'lists with their to-dos take 2 SQL queries, however many lists (a loader, not 1 + N)',
  async (t) => {
    const { ann } = await twoUsers(logged)
    for (let i = 1; i <= 5; i++) {
      const list = await ann.inject({
        method: 'POST',
        url: '/lists',
        payload: { name: `List ${i}` },
      })
      const todos = [await createTodo(ann, `Task ${i}a`), await createTodo(ann, `Task ${i}b`)]
      const payload = { todoIds: todos.map((todo) => todo.id), listId: list.json().id }
      await ann.inject({ method: 'POST', url: '/todos/move', payload })
    }
    const before = logs.lines().length
    const res = await graphql(ann, '{ lists { name todos { title } } }')
    const lists = res.json().data.lists
    t.equal(lists.length, 5)
    t.same(lists[2], { name: 'List 3', todos: [{ title: 'Task 3a' }, { title: 'Task 3b' }] })
    const sql = logs
      .lines()
      .slice(before)
      .filter((line) => line.msg === 'sql')
      .map((line) => String(line.sql))
      .filter((sql) => !/from "users"/.test(sql)) // the token's user: often cached (lesson 26)
    // The data: 2 queries.
    t.match(sql, [/from "lists"/, /from "todos" where .* "list_id" in \(\$2, \$3, \$4, \$5, \$6\)/])
    t.equal(sql.length, 2, 'without the loader: 1 + 5')
  },
)

t.test('a to-do’s list comes from a loader too: 1 query for all of them', async (t) => {
  const { ann } = await twoUsers(logged)
  const list = await ann.inject({ method: 'POST', url: '/lists', payload: { name: 'Shop' } })
  const todos = [
    await createTodo(ann, 'Milk'),
    await createTodo(ann, 'Bread'),
    await createTodo(ann, 'Eggs'),
  ]
  const payload = { todoIds: todos.slice(0, 2).map((todo) => todo.id), listId: list.json().id }
  await ann.inject({ method: 'POST', url: '/todos/move', payload })
  const before = logs.lines().length
  const res = await graphql(ann, '{ todos { todos { title list { name } } } }')
  t.same(res.json().data.todos.todos, [
    { title: 'Milk', list: { name: 'Shop' } },
    { title: 'Bread', list: { name: 'Shop' } },
    { title: 'Eggs', list: null },
  ])
  const sql = logs
    .lines()
    .slice(before)
    .filter((line) => line.msg === 'sql' && !/from "users"/.test(String(line.sql)))
  t.equal(sql.length, 2, 'the to-dos, and their lists (the token’s user is often cached)')
})

t.test('a query deeper than 5 levels is refused before it runs (400)', async (t) => {
  const { ann } = await twoUsers()
  const five = '{ lists { todos { list { todos { title } } } } }'
  t.same((await graphql(ann, five)).json(), { data: { lists: [] } }, '5 levels are fine')
  const res = await graphql(ann, '{ lists { todos { list { todos { list { name } } } } } }')
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    data: null,
    errors: [{ message: '`unnamedQuery query depth (6) exceeds the query depth limit of 5`' }],
  })
})

t.test('a limit over 100 is refused, as GET /todos refuses it', async (t) => {
  const { ann } = await twoUsers()
  const rest = await ann.inject({ method: 'GET', url: '/todos?limit=101' })
  t.match(rest.json(), { code: 'VALIDATION_FAILED', message: 'querystring/limit must be <= 100' })
  const res = await graphql(ann, '{ todos(limit: 101) { todos { id } } }')
  t.same(res.json(), {
    data: { todos: null },
    errors: [
      {
        message: 'arguments/limit must be <= 100',
        locations: [{ line: 1, column: 3 }],
        path: ['todos'],
        extensions: { code: 'VALIDATION_FAILED' },
      },
    ],
  })
})

t.test('arguments follow REST’s rules: REST’s codes and messages in `errors`', async (t) => {
  const { ann } = await twoUsers()
  const cases: [string, string, string][] = [
    [
      'mutation { createTodo(title: "   ") { id } }',
      'VALIDATION_FAILED',
      'arguments/title must match pattern "\\S"',
    ],
    [
      `mutation { createTodo(title: "${'a'.repeat(501)}") { id } }`,
      'VALIDATION_FAILED',
      'arguments/title must NOT have more than 500 characters',
    ],
    [
      'mutation { updateTodo(id: 1) { id } }',
      'VALIDATION_FAILED',
      'arguments must NOT have fewer than 1 properties',
    ],
    [
      'mutation { updateTodo(id: 1, version: 0) { id } }',
      'VALIDATION_FAILED',
      'arguments/version must be >= 1',
    ],
    [
      '{ todos(q: "") { todos { id } } }',
      'VALIDATION_FAILED',
      'arguments/q must NOT have fewer than 1 characters',
    ],
    [
      'mutation { createTodo(title: "Milk\\u0000") { id } }',
      'VALIDATION_FAILED',
      'arguments/title must not contain the NUL character (\\u0000)',
    ],
    [
      '{ todos(cursor: "not-ours") { todos { id } } }',
      'INVALID_CURSOR',
      'The cursor is not one this API gave out: use the Link header of the previous page.',
    ],
  ]
  for (const [query, code, message] of cases) {
    const res = await graphql(ann, query)
    t.equal(res.statusCode, 200, query)
    t.match(res.json(), { errors: [{ message, extensions: { code } }] }, query)
  }
  t.same((await everything(ann)).todos, [], 'nothing was created')
})

t.test(
  'a broken query or a wrong type is a GraphQL validation error (400), never a 500',
  async (t) => {
    const { ann } = await twoUsers()
    const cases: [string, object | undefined, string][] = [
      ['{ todo(id: "abc") { id } }', undefined, 'Int cannot represent non-integer value: "abc"'],
      [
        '{ todo(id: 99999999999) { id } }',
        undefined,
        'Int cannot represent non 32-bit signed integer value: 99999999999',
      ],
      [
        'query ($id: Int!) { todo(id: $id) { id } }',
        { id: 'seven' },
        'Variable "$id" got invalid value "seven"; Int cannot represent non-integer value: "seven"',
      ],
      [
        '{ todos(sort: size) { todos { id } } }',
        undefined,
        'Value "size" does not exist in "Sort" enum.',
      ],
      ['{ todo(id: 1) { id colour } }', undefined, 'Cannot query field "colour" on type "Todo".'],
      [
        'mutation { createTodo { id } }',
        undefined,
        'Field "createTodo" argument "title" of type "String!" is required, but it was not provided.',
      ],
      ['{ todo(id: 1) { id ', undefined, 'Syntax Error: Expected Name, found <EOF>.'],
    ]
    for (const [query, variables, message] of cases) {
      const res = await graphql(ann, query, variables)
      t.equal(res.statusCode, 400, query)
      t.match(res.json(), { data: null, errors: [{ message }] }, query)
    }
  },
)

t.test('a body that is not GraphQL over JSON is refused (400) in GraphQL’s shape', async (t) => {
  const { ann } = await twoUsers()
  const notJson = await ann.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: '{"query": ',
  })
  t.equal(notJson.statusCode, 400)
  t.match(notJson.json(), { data: null, errors: [{ extensions: { code: 'INVALID_JSON' } }] })
  const notText = await ann.inject({ method: 'POST', url: '/graphql', payload: { query: 7 } })
  t.equal(notText.statusCode, 400)
  t.match(notText.json(), { data: null, errors: [{ message: 'body/query must be string' }] })
})

t.test('GET /graphql answers queries, but a mutation needs POST (405)', async (t) => {
  const { ann } = await twoUsers()
  const get = (query: string) =>
    ann.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}` })
  t.same((await get('{ todos { todos { id } } }')).json(), { data: { todos: { todos: [] } } })
  const res = await get('mutation { createTodo(title: "Via GET") { id } }')
  t.equal(res.statusCode, 405)
  t.match(res.json(), { errors: [{ message: 'Operation cannot be performed via a GET request' }] })
  t.same((await everything(ann)).todos, [])
})
