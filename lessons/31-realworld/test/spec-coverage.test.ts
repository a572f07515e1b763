import { readFileSync } from 'node:fs'
import t from 'tap'
import { appForTest } from './helpers.js'
import { missing, openApiFile } from './official-suite.js'

// Every endpoint of the spec's OpenAPI document has tests here, and a route in the app. When
// RealWorld adds an endpoint to its document, the first test fails until it has both.

/** Each endpoint of the spec (as its document writes it), and the test file that tests it. */
const testedIn: Record<string, string> = {
  'POST /users/login': 'auth.test.ts',
  'POST /users': 'auth.test.ts',
  'GET /user': 'auth.test.ts',
  'PUT /user': 'auth.test.ts',
  'GET /profiles/{username}': 'profiles.test.ts',
  'POST /profiles/{username}/follow': 'profiles.test.ts',
  'DELETE /profiles/{username}/follow': 'profiles.test.ts',
  'GET /articles/feed': 'feed.test.ts',
  'GET /articles': 'articles.test.ts',
  'POST /articles': 'articles.test.ts',
  'GET /articles/{slug}': 'articles.test.ts',
  'PUT /articles/{slug}': 'articles.test.ts',
  'DELETE /articles/{slug}': 'articles.test.ts',
  'GET /articles/{slug}/comments': 'comments.test.ts',
  'POST /articles/{slug}/comments': 'comments.test.ts',
  'DELETE /articles/{slug}/comments/{id}': 'comments.test.ts',
  'POST /articles/{slug}/favorite': 'favorites.test.ts',
  'DELETE /articles/{slug}/favorite': 'favorites.test.ts',
  'GET /tags': 'tags.test.ts',
}

const specMissing = missing(
  openApiFile,
  'the OpenAPI document of the spec (openapi.yml)',
  'https://github.com/realworld-apps/realworld (its specs/api/ folder)',
)

/**
 * "POST /users/login" and the like, from the document's `paths:`. Its layout is regular: a
 * path is indented two spaces (`  /users/login:`), each of its methods four (`    post:`).
 * Reading those lines is all we need; no YAML library for that.
 */
function endpointsOf(yaml: string): string[] {
  const endpoints: string[] = []
  let inPaths = false
  let path = ''
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) inPaths = line.startsWith('paths:')
    if (!inPaths) continue
    const pathLine = /^ {2}(\/\S*):\s*$/.exec(line)
    if (pathLine) path = pathLine[1] ?? ''
    const method = /^ {4}(get|put|post|delete|patch|head|options):\s*$/.exec(line)?.[1]
    if (method) endpoints.push(`${method.toUpperCase()} ${path}`)
  }
  return endpoints
}

t.test(
  'the tests name every endpoint of the OpenAPI document, and no other',
  { skip: specMissing },
  async (t) => {
    const endpoints = endpointsOf(readFileSync(openApiFile, 'utf8'))
    t.ok(endpoints.length >= 19, `the document has its endpoints (${endpoints.length})`)
    const untested = endpoints.filter((endpoint) => !(endpoint in testedIn))
    t.same(untested, [], 'endpoints of the spec without tests')
    const unknown = Object.keys(testedIn).filter((endpoint) => !endpoints.includes(endpoint))
    t.same(unknown, [], 'endpoints tested here that the spec does not have')
  },
)

t.test('each endpoint’s test file sends that request', async (t) => {
  for (const [endpoint, file] of Object.entries(testedIn)) {
    const [method = '', path = ''] = endpoint.split(' ')
    const source = readFileSync(new URL(file, import.meta.url), 'utf8')
    // /articles/{slug}/favorite → /api/articles/<anything but a slash>/favorite, then the end
    // of the URL (a quote, a backtick or a query string).
    const part = path.replace(/\{\w+\}/g, '[^/\'"`?\\s]+')
    const url = new RegExp(`['"\`]/api${part}['"\`?]`)
    t.match(source, url, `${file} sends a request to ${path}`)
    t.match(source, `'${method}'`, `${file} sends a ${method}`)
  }
})

t.test(
  'the app has a route for every endpoint of the OpenAPI document',
  { skip: specMissing },
  async (t) => {
    const app = await appForTest(t)
    for (const endpoint of endpointsOf(readFileSync(openApiFile, 'utf8'))) {
      const [method = '', path = ''] = endpoint.split(' ')
      // OpenAPI writes a parameter {slug}, Fastify :slug.
      const url = `/api${path.replace(/\{(\w+)\}/g, ':$1')}`
      t.ok(app.hasRoute({ method, url }), endpoint)
    }
  },
)
