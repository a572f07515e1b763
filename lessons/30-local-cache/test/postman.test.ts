import { existsSync, readFileSync } from 'node:fs'
import newman, { type NewmanRunSummary } from 'newman'
import t from 'tap'
import { anonymousAppForTest, serverForTest } from './helpers.js'

// The Postman collection and environment a learner imports (postman/), run by newman, the
// command-line runner of Postman collections, against the app on a free port.
const folder = new URL('../postman/', import.meta.url)
function read(file: string) {
  const url = new URL(file, folder)
  if (!existsSync(url)) throw new Error(`postman/${file} is missing: export it from Postman there.`)
  return JSON.parse(readFileSync(url, 'utf8'))
}
const collection = read('kitchen.postman_collection.json')
const environment = read('kitchen.postman_environment.json')

// One server and one database for the file: the collection must cope with what is there.
const baseUrl = await serverForTest(t)

/** Run the collection against the server, as `npx newman run` would, with our baseUrl. */
function runCollection(items = collection): Promise<NewmanRunSummary> {
  const envVar = [{ key: 'baseUrl', value: baseUrl }]
  return new Promise((resolve, reject) => {
    newman.run({ collection: items, environment, envVar }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    )
  })
}

/** A failure as one line: the request, the test's name, and what went wrong. */
const describe = ({ source, error }: NewmanRunSummary['run']['failures'][number]) =>
  `${source?.name ?? '(collection)'}: ${error.test ?? error.name}: ${error.message}`

interface Item {
  name: string
  item?: Item[]
  request?: { method: string; url: { path: string[] } }
  event?: { listen: string; script: { exec: string[] } }[]
}

/** Every request of the collection, through its folders. */
const requestItems = (items: Item[]): Item[] =>
  items.flatMap((item) => (item.item ? requestItems(item.item) : item.request ? [item] : []))

/** Every request of the collection as "GET /todos/{id}": Postman writes :id, OpenAPI {id}. */
const requestsIn = (items: Item[]) =>
  requestItems(items).map(({ request }) => {
    const path = request?.url.path.map((part) => part.replace(/^:(\w+)$/, '{$1}')) ?? []
    return `${request?.method} /${path.join('/')}`
  })

let firstEmail: unknown

t.test('every request of the collection runs, and every pm.test in it passes', async (t) => {
  const summary = await runCollection()
  firstEmail = summary.environment.get('email')
  t.same(summary.run.failures.map(describe), [], 'no failures')
  const { requests, assertions } = summary.run.stats
  t.equal(requests.total, requestsIn(collection.item).length, 'every request was sent')
  t.equal(requests.failed, 0)
  t.ok(assertions.total, `${assertions.total} assertions`)
})

t.test('the collection runs again on the same database: a new email each run', async (t) => {
  const second = await runCollection()
  t.same(second.run.failures.map(describe), [], 'no failures the second time')
  t.ok(firstEmail, 'the first run signed up')
  t.not(second.environment.get('email'), firstEmail)
})

t.test('every request of the collection has tests of its own (pm.test)', async (t) => {
  for (const item of requestItems(collection.item)) {
    const tests = item.event?.find((event) => event.listen === 'test')?.script.exec.join('\n')
    t.match(tests, /pm\.test\(/, item.name)
  }
})

t.test('a failing pm.test fails the run, and says which request and why', async (t) => {
  const broken = structuredClone(collection)
  const health = broken.item[0] // GET /health: expect another status
  health.event[0].script.exec = ["pm.test('answers 418', () => pm.response.to.have.status(418))"]
  const summary = await runCollection({ ...broken, item: [health] })
  t.match(summary.run.failures.map(describe), [/^Health: answers 418: expected response .*418/])
})

t.test('the collection has a request for every operation of the OpenAPI document', async (t) => {
  const app = await anonymousAppForTest(t)
  const documented = Object.entries(app.swagger().paths ?? {}).flatMap(([path, operations]) =>
    Object.keys(operations ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
  )
  const inCollection = new Set(requestsIn(collection.item))
  t.ok(documented.length >= 15, `${documented.length} operations`)
  for (const operation of documented) t.ok(inCollection.has(operation), operation)
  // And the other way: no request to a route the API does not have (a typo in a URL).
  for (const request of inCollection) t.ok(documented.includes(request), `${request} exists`)
})
