import { testDatabase } from '@kitchen/db/testing'
import { Validator } from '@seriousme/openapi-schema-validator'
import t from 'tap'
import { migrateToLatest } from '../src/db/migrate.js'
import { anonymousAppForTest, asUser } from './helpers.js'

// One app and one database for the whole file: the document is read, never changed. The
// routes marked `hide` (the page's files, the documentation's own) are not part of the API.
const hidden = new Set<string>()
const trim = (path: string) => path.replace(/(.)\/$/, '$1') // "/docs/" is "/docs"
const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
const app = await anonymousAppForTest(t, {
  databaseUrl,
  addRoutes: (app) =>
    app.addHook('onRoute', ({ method, url, schema }) => {
      if (schema?.hide) for (const one of [method].flat()) hidden.add(`${one} ${trim(url)}`)
    }),
})

interface Answer {
  description: string
  content?: Record<string, { schema: Record<string, unknown> }>
}
interface Operation {
  security?: Record<string, string[]>[]
  responses: Record<string, Answer>
}
const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, { required: string[] }>; securitySchemes: object }
}

/** The document's operation for a method and a path written as in Fastify ("/todos/:id"). */
const documented = (method: string, path: string) =>
  doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]

/** The same, for an operation the test expects to be there. */
function operation(method: string, path: string): Operation {
  const found = documented(method, path)
  if (!found) throw new Error(`${method} ${path} is not in the document`)
  return found
}

/**
 * Every route of the API, as ['GET', '/todos/:id'], read from app.printRoutes(): it lists them
 * all, even one added before the documentation was listening. Fastify adds a HEAD to each GET
 * by itself; /openapi.json is the document itself; and the hidden ones are not the API.
 */
function appRoutes(): [string, string][] {
  const routes: [string, string][] = []
  const parents: string[] = [] // the path's parts on the lines above it, one per indent
  for (const line of app.printRoutes().split('\n')) {
    const found = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!found) continue
    const [, indent = '', part = '', methods] = found
    parents.length = indent.length / 4
    parents.push(part === '(empty root node)' ? '' : part) // when a route is not under "/"
    for (const method of methods?.split(', ') ?? []) routes.push([method, trim(parents.join(''))])
  }
  return routes.filter(
    ([method, path]) =>
      method !== 'HEAD' && path !== '/openapi.json' && !hidden.has(`${method} ${path}`),
  )
}

t.test('GET /openapi.json answers an OpenAPI 3.1 document that a validator accepts', async (t) => {
  t.equal(doc.openapi, '3.1.0')
  const result = await new Validator().validate(doc)
  t.same(result.errors ?? [], [], 'no errors')
  t.equal(result.valid, true)
})

t.test('every route the app answers is in the document, with its method', async (t) => {
  const routes = appRoutes()
  t.ok(routes.length >= 13, `found ${routes.length} routes`)
  for (const [method, path] of routes) t.ok(documented(method, path), `${method} ${path}`)
})

t.test('a route’s error answers are documented, each in the one error shape', async (t) => {
  const patch = operation('PATCH', '/todos/:id')
  t.same(Object.keys(patch.responses).sort(), ['200', '400', '401', '404', '409', '500', '503'])
  t.match(patch.responses['409']?.description, /VERSION_CONFLICT/)
  for (const [status, answer] of Object.entries(patch.responses)) {
    if (status === '200') continue
    const schema = answer.content?.['application/json']?.schema
    t.same(schema, { $ref: '#/components/schemas/ErrorReply' }, status)
  }
  const shape = doc.components.schemas.ErrorReply
  t.same(shape?.required, ['statusCode', 'code', 'error', 'message'])
  t.match(operation('POST', '/auth/login').responses, { 401: {}, 429: {} })
  t.match(operation('POST', '/auth/signup').responses, { 409: {}, 429: {} })
})

t.test('a route that answers 204 is documented without a body', async (t) => {
  const routes = [
    ['DELETE', '/todos/:id'],
    ['DELETE', '/lists/:id'],
    ['POST', '/auth/logout'],
  ] as const
  for (const [method, path] of routes) {
    const answer = operation(method, path).responses['204']
    t.ok(answer, `${method} ${path} answers 204`)
    t.equal(answer?.content, undefined)
  }
})

t.test('the signed-in routes need the bearer token, refresh and log-out the cookie', async (t) => {
  t.match(doc.components.securitySchemes, {
    accessToken: { type: 'http', scheme: 'bearer' },
    refreshCookie: { type: 'apiKey', in: 'cookie', name: 'refresh_token' },
  })
  for (const [method, path] of appRoutes()) {
    const route = `${method} ${path}`
    const { security } = operation(method, path)
    if (/^\/(todos|lists|me)\b/.test(path)) t.same(security, [{ accessToken: [] }], route)
    else if (/refresh|logout/.test(path)) t.same(security, [{ refreshCookie: [] }], route)
    else t.equal(security, undefined, `${route} is open to everybody`)
  }
})

t.test('no answer in the document can carry a password or its hash', async (t) => {
  const answers = Object.values(doc.paths).flatMap((item) =>
    Object.values(item).map((op) => op.responses),
  )
  // As a field name, "password…": (a description may well say "password").
  t.notMatch(JSON.stringify(answers), /"(password|hash)\w*":/i)
  const me = operation('GET', '/me').responses['200']?.content?.['application/json']?.schema
  t.same(Object.keys(me?.properties ?? {}), ['id', 'email', 'createdAt'])
})

t.test('error answers keep the one shape as their schemas send them', async (t) => {
  const ann = await asUser(app, 'ann@example.com')
  await ann.inject({ method: 'POST', url: '/lists', payload: { name: 'Shopping' } })
  const answers = [
    await app.inject({ method: 'GET', url: '/me' }), // 401, through the 401 schema
    await ann.inject({ method: 'GET', url: '/todos/999' }), // 404
    await ann.inject({ method: 'POST', url: '/lists', payload: { name: 'Shopping' } }), // 409
    await ann.inject({ method: 'POST', url: '/todos', payload: { title: '' } }), // 400
  ]
  t.same(
    answers.map((res) => res.statusCode),
    [401, 404, 409, 400],
  )
  for (const res of answers) {
    t.same(Object.keys(res.json()).sort(), ['code', 'error', 'message', 'statusCode'])
    t.type(res.json().message, 'string')
  }
})

t.test('/docs answers the reference page in HTML, its scripts all files', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(res.body, /<div id="swagger-ui">/)
  // The security headers' Content-Security-Policy runs only scripts from this server: no
  // inline <script>…</script> would run.
  t.match(res.headers['content-security-policy'], /script-src 'self';/)
  const scripts = [...res.body.matchAll(/<script([^>]*)>/g)].map((found) => found[1] ?? '')
  t.ok(scripts.length > 0)
  for (const script of scripts) {
    const src = /src="([^"]+)"/.exec(script)?.[1] ?? ''
    t.ok(src, `no inline script: <script${script}>`)
    const file = await app.inject({ method: 'GET', url: src })
    t.equal(file.statusCode, 200, `${src} is served`)
  }
  const spec = await app.inject({ method: 'GET', url: '/docs/json' }) // what the page reads
  t.same(spec.json(), doc)
})
