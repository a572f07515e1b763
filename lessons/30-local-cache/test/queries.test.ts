import t, { type Test } from 'tap'
import { appForTest } from './helpers.js'

type App = Awaited<ReturnType<typeof appForTest>>

async function create(app: App, title: string, done = false) {
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title } })
  if (done) await app.inject({ method: 'PATCH', url: `/todos/${res.json().id}`, payload: { done } })
  return res.json()
}

async function titles(app: App, url: string): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url })
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  return res.json().map((todo: { title: string }) => todo.title)
}

/** One page: its titles, and the URL of the next page from the Link header (if any). */
async function page(app: App, url: string): Promise<{ titles: string[]; next?: string }> {
  const res = await app.inject({ method: 'GET', url })
  const next = /<([^>]+)>; rel="next"/.exec(String(res.headers.link ?? ''))?.[1]
  return { titles: res.json().map((todo: { title: string }) => todo.title), next }
}

/** Follow the Link headers from the first page to the last, collecting every page. */
async function allPages(app: App, url: string): Promise<string[][]> {
  const pages: string[][] = []
  let next: string | undefined = url
  while (next) {
    const current = await page(app, next)
    pages.push(current.titles)
    next = current.next
  }
  return pages
}

async function kitchen(t: Test) {
  const app = await appForTest(t)
  await create(app, 'Buy milk')
  await create(app, 'Bake bread', true)
  await create(app, 'Clean oven')
  await create(app, 'Buy flour', true)
  await create(app, 'Answer email')
  return app
}

t.test('?done=true and ?done=false filter the list', async (t) => {
  const app = await kitchen(t)
  t.same(await titles(app, '/todos?done=true'), ['Bake bread', 'Buy flour'])
  t.same(await titles(app, '/todos?done=false'), ['Buy milk', 'Clean oven', 'Answer email'])
})

t.test('?q= finds to-dos whose title contains the text, in any case', async (t) => {
  const app = await kitchen(t)
  t.same(await titles(app, '/todos?q=buy'), ['Buy milk', 'Buy flour'])
  t.same(await titles(app, '/todos?q=BUY&done=true'), ['Buy flour'])
  t.same(await titles(app, '/todos?q=nothing-like-this'), [])
})

t.test('% and _ in a search are plain characters, not wildcards', async (t) => {
  const app = await appForTest(t)
  await create(app, 'Save 100% of it')
  await create(app, 'Save 1000 of it')
  await create(app, 'snake_case')
  await create(app, 'snakeXcase')
  t.same(await titles(app, '/todos?q=100%25'), ['Save 100% of it'])
  t.same(await titles(app, '/todos?q=e_c'), ['snake_case'])
})

t.test('?sort=title sorts by title, and ?order=desc puts the newest first', async (t) => {
  const app = await kitchen(t)
  t.same(await titles(app, '/todos?sort=title'), [
    'Answer email',
    'Bake bread',
    'Buy flour',
    'Buy milk',
    'Clean oven',
  ])
  t.same(await titles(app, '/todos?order=desc'), [
    'Answer email',
    'Buy flour',
    'Clean oven',
    'Bake bread',
    'Buy milk',
  ])
})

t.test('?limit= pages through every to-do exactly once, following the Link header', async (t) => {
  const app = await kitchen(t)
  const pages = await allPages(app, '/todos?limit=2')
  t.same(pages, [['Buy milk', 'Bake bread'], ['Clean oven', 'Buy flour'], ['Answer email']])
})

t.test('paging keeps the filter and the sort order', async (t) => {
  const app = await kitchen(t)
  await create(app, 'Buy milk') // a second to-do with the same title: the id breaks the tie
  const pages = await allPages(app, '/todos?q=buy&sort=title&order=desc&limit=1')
  t.same(pages, [['Buy milk'], ['Buy milk'], ['Buy flour']])
})

t.test('a to-do added while paging neither repeats nor hides the others', async (t) => {
  const app = await kitchen(t)
  const first = await app.inject({ method: 'GET', url: '/todos?limit=2' })
  await create(app, 'Added meanwhile')
  const link = /<([^>]+)>/.exec(String(first.headers.link))?.[1] as string
  t.same(await titles(app, link), ['Clean oven', 'Buy flour'])
})

t.test('the last page has no Link header', async (t) => {
  const app = await kitchen(t)
  const res = await app.inject({ method: 'GET', url: '/todos?limit=5' })
  t.equal(res.json().length, 5)
  t.equal(res.headers.link, undefined)
})

t.test('bad query parameters answer 400 with the one error shape', async (t) => {
  const app = await kitchen(t)
  const cases = [
    ['/todos?limit=0', /querystring\/limit must be >= 1/],
    ['/todos?limit=101', /querystring\/limit must be <= 100/],
    ['/todos?limit=ten', /querystring\/limit must be integer/],
    ['/todos?done=maybe', /querystring\/done must be boolean/],
    ['/todos?sort=priority', /querystring\/sort must be equal to one of the allowed values/],
    ['/todos?page=2', /querystring has an unknown field "page"/],
    ['/todos?q=a%00b', /querystring\/q must not contain the NUL character/],
  ] as const
  for (const [url, message] of cases) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { code: 'VALIDATION_FAILED', message })
  }
})

t.test('a cursor that this API did not give out answers 400 INVALID_CURSOR', async (t) => {
  const app = await kitchen(t)
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const cases = [
    '/todos?cursor=nonsense',
    `/todos?cursor=${encode({ id: '1; drop table todos' })}`,
    `/todos?cursor=${encode({ id: 9007199254740991 })}`,
    `/todos?sort=title&cursor=${encode({ id: 2 })}`,
    `/todos?cursor=${encode({ id: 2, title: 7 })}`,
  ]
  for (const url of cases) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().code, 'INVALID_CURSOR')
  }
})

t.test('SQL metacharacters in a search are plain text', async (t) => {
  const app = await kitchen(t)
  const res = await app.inject({
    method: 'GET',
    url: `/todos?q=${encodeURIComponent("'; DROP TABLE todos; --")}`,
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), [])
  t.equal((await titles(app, '/todos')).length, 5, 'the table is still there')
})
