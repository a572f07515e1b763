import t from 'tap'
import { appForTest } from './helpers.js'

type App = Awaited<ReturnType<typeof appForTest>>

async function createList(app: App, name: string) {
  return app.inject({ method: 'POST', url: '/lists', payload: { name } })
}

/** The names of all lists, in the order GET /lists gives them. */
async function listNames(app: App): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/lists' })
  return res.json().map((list: { name: string }) => list.name)
}

t.test('lists are created and listed', async (t) => {
  const app = await appForTest(t)
  const created = await createList(app, 'Shopping')
  t.equal(created.statusCode, 201)
  const { id } = created.json()
  t.same(created.json(), { id, name: 'Shopping' })
  t.equal(created.headers.location, `/lists/${id}`)
  await createList(app, 'Baking')
  const lists = (await app.inject({ method: 'GET', url: '/lists' })).json()
  t.same(lists.slice(-2), [
    { id, name: 'Shopping' },
    { id: lists.at(-1).id, name: 'Baking' },
  ])
})

t.test('a second list with the same name answers 409 ALREADY_EXISTS', async (t) => {
  const app = await appForTest(t)
  t.equal((await createList(app, 'Groceries')).statusCode, 201)
  const again = await createList(app, 'Groceries')
  t.equal(again.statusCode, 409)
  t.same(again.json(), {
    statusCode: 409,
    code: 'ALREADY_EXISTS',
    error: 'Conflict',
    message: 'Another record already has this user_id and name.',
  })
  t.notMatch(again.body, /insert|select|lists_name_key|Groceries/i, 'no SQL and no value in it')
  t.same(
    (await listNames(app)).filter((name) => name === 'Groceries'),
    ['Groceries'],
  )
})

t.test('of ten requests racing to create one list, exactly one wins', async (t) => {
  const app = await appForTest(t)
  const answers = await Promise.all(Array.from({ length: 10 }, () => createList(app, 'Cleaning')))
  t.same(
    answers.map((res) => res.statusCode).sort(),
    [201, 409, 409, 409, 409, 409, 409, 409, 409, 409],
  )
})

t.test('bad list requests answer 400', async (t) => {
  const app = await appForTest(t)
  const before = await listNames(app)
  for (const payload of [
    {},
    { name: '' },
    { name: '   ' },
    { name: 'x'.repeat(101) },
    { name: 7 },
    { name: 'Shop\u0000ping' },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/lists', payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().code, 'VALIDATION_FAILED')
  }
  t.same(await listNames(app), before, 'nothing was stored')
})
