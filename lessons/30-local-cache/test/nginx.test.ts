import { request as httpRequest } from 'node:http'
import { fileURLToPath } from 'node:url'
import { cleanDatabase, testDatabase } from '@kitchen/db/testing'
import { findNginx, freePort, portIsFree } from '@kitchen/servers'
import { testNginx, testRedis } from '@kitchen/servers/testing'
import { listenOnFreePort, runScript } from '@kitchen/testing'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { nginxConfig } from '../src/nginx.js'
import { anonymousAppForTest, password, testAppOptions } from './helpers.js'

// Each test runs the lesson's nginx.conf in a real nginx, in front of two copies of the app
// (in this process, on free ports) sharing one database and one Redis. Without nginx or
// redis-server, the test is skipped, saying how to install them.

let stacks = 0
/** NGINX and copies a and b behind it. `url` is NGINX's; `close(name)` stops one copy. */
async function stackForTest(t: Test) {
  const redis = await testRedis(t)
  if ('skip' in redis) return undefined
  const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
  const redisPrefix = `stack${++stacks}:` // the same for both: copies of one app
  const copies = new Map<string, ReturnType<typeof buildApp>>()
  const ports: number[] = []
  for (const instance of ['a', 'b']) {
    const app = buildApp({
      ...{ ...testAppOptions, databaseUrl, redisUrl: redis.url, redisPrefix, instance },
      trustProxy: '127.0.0.1', // as src/stack.ts starts them: NGINX is on this computer
    })
    // What the app takes for the client's address: what the log-in limit counts by.
    app.get('/ip', async (request) => ({ ip: request.ip, peer: request.socket.remoteAddress }))
    ports.push(Number(new URL(await listenOnFreePort(t, app)).port))
    copies.set(instance, app)
  }
  const [a = 0, b = 0] = ports
  const nginx = await testNginx(t, (port) => nginxConfig({ host: '127.0.0.1', port, a, b }))
  if ('skip' in nginx) return undefined
  return { url: nginx.url, close: (name: string) => copies.get(name)?.close() }
}

const json = { 'content-type': 'application/json' }
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: json, body: JSON.stringify(body) })
/** Which copies answered these requests. */
const instances = (answers: Response[]) =>
  [...new Set(answers.map((res) => res.headers.get('x-instance')))].sort()

t.test('NGINX spreads the requests over both copies of the app', async (t) => {
  const stack = await stackForTest(t)
  if (!stack) return
  const answers = []
  for (let i = 0; i < 4; i++) answers.push(await fetch(`${stack.url}/health`))
  t.same(
    answers.map((res) => res.status),
    [200, 200, 200, 200],
  )
  t.same(instances(answers), ['a', 'b'])
})

t.test(
  'a token from a log-in on one copy works on the other: the copies share no state',
  async (t) => {
    const stack = await stackForTest(t)
    if (!stack) return
    const account = { email: 'ann@x.org', password }
    t.equal((await post(`${stack.url}/auth/signup`, account)).status, 201)
    const login = await post(`${stack.url}/auth/login`, account)
    const { accessToken } = (await login.json()) as { accessToken: string }
    const answers = []
    for (let i = 0; i < 4; i++) {
      const headers = { authorization: `Bearer ${accessToken}` }
      answers.push(await fetch(`${stack.url}/me`, { headers }))
    }
    t.same(
      answers.map((res) => res.status),
      [200, 200, 200, 200],
    )
    t.same(instances(answers), ['a', 'b'], 'both copies let Ann in')
  },
)

t.test('the log-in limit holds across both copies: the 6th wrong password is a 429', async (t) => {
  const stack = await stackForTest(t)
  if (!stack) return
  await post(`${stack.url}/auth/signup`, { email: 'ann@x.org', password })
  const wrong = { email: 'ann@x.org', password: 'a wrong guess' }
  const answers = []
  for (let i = 0; i < 5; i++) answers.push(await post(`${stack.url}/auth/login`, wrong))
  t.same(
    answers.map((res) => res.status),
    [401, 401, 401, 401, 401],
  )
  t.same(instances(answers), ['a', 'b'], 'the five went to both copies')
  for (let i = 0; i < 2; i++) {
    const res = await post(`${stack.url}/auth/login`, { email: 'ann@x.org', password })
    t.equal(res.status, 429, `refused by copy ${res.headers.get('x-instance')} too`)
    t.match(await res.json(), { code: 'TOO_MANY_REQUESTS' })
  }
})

/** A GET from this computer's other loopback address, 127.0.0.2: another "client". */
function getFrom(localAddress: string, url: string, headers: Record<string, string> = {}) {
  return new Promise<{ ip: string; peer: string }>((resolve, reject) => {
    const req = httpRequest(url, { localAddress, headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve(JSON.parse(body)))
    })
    req.on('error', reject).end()
  })
}
const linuxOnly =
  process.platform !== 'linux' && 'needs 127.0.0.2, a loopback address only Linux has by default'

t.test(
  'through NGINX, the app sees the client’s address, not NGINX’s, nor one the client made up',
  { skip: linuxOnly },
  async (t) => {
    const stack = await stackForTest(t)
    if (!stack) return
    const seen = await getFrom('127.0.0.2', `${stack.url}/ip`)
    t.same(seen, { ip: '127.0.0.2', peer: '127.0.0.1' }, 'the connection came from NGINX')
    const forged = { 'x-forwarded-for': '198.51.100.7' }
    const forging = await getFrom('127.0.0.2', `${stack.url}/ip`, forged)
    t.equal(forging.ip, '127.0.0.2', 'NGINX replaced the forged header')
  },
)

t.test(
  'through NGINX, a client cannot make up its address: NGINX replaces X-Forwarded-For',
  async (t) => {
    const stack = await stackForTest(t)
    if (!stack) return
    const forged = { 'x-forwarded-for': '198.51.100.7' }
    t.equal((await getFrom('127.0.0.1', `${stack.url}/ip`, forged)).ip, '127.0.0.1')
  },
)

t.test('X-Forwarded-For is believed only from a trusted proxy’s address', async (t) => {
  const addRoutes = (app: ReturnType<typeof buildApp>) =>
    app.get('/ip', async (request) => ({ ip: request.ip }))
  const app = await anonymousAppForTest(t, { trustProxy: '127.0.0.1', addRoutes })
  const headers = { 'x-forwarded-for': '198.51.100.7' }
  const ip = async (remoteAddress: string, app_ = app) =>
    (await app_.inject({ url: '/ip', headers, remoteAddress })).json().ip
  t.equal(await ip('203.0.113.5'), '203.0.113.5', 'from anybody else: ignored')
  t.equal(await ip('127.0.0.1'), '198.51.100.7', 'from NGINX’s address: the client’s')
  const trustingNobody = await anonymousAppForTest(t, { addRoutes })
  t.equal(await ip('127.0.0.1', trustingNobody), '127.0.0.1', 'without TRUST_PROXY: ignored')
})

t.test('NGINX compresses large JSON answers with gzip, not small ones', async (t) => {
  const stack = await stackForTest(t)
  if (!stack) return
  const gzip = { 'accept-encoding': 'gzip' }
  const big = await fetch(`${stack.url}/openapi.json`, { headers: gzip })
  t.equal(big.headers.get('content-encoding'), 'gzip')
  t.match(big.headers.get('vary'), /Accept-Encoding/, 'caches keep the two versions apart')
  t.match(await big.json(), { openapi: String }, 'fetch unzipped it')
  const small = await fetch(`${stack.url}/health`, { headers: gzip })
  t.equal(small.headers.get('content-encoding'), null, 'under 1 KiB: not worth it')
})

t.test('a body over 16 KiB is refused by NGINX itself: 413, in the one error shape', async (t) => {
  const stack = await stackForTest(t)
  if (!stack) return
  const res = await post(`${stack.url}/auth/signup`, {
    email: 'ann@x.org',
    password: 'x'.repeat(17_000),
  })
  t.equal(res.status, 413)
  t.equal(res.headers.get('x-instance'), null, 'no copy of the app saw it')
  t.same(await res.json(), {
    statusCode: 413,
    code: 'BODY_TOO_LARGE',
    error: 'Payload Too Large',
    message: 'The body is too large.',
  })
})

t.test('with one copy stopped, NGINX sends every request to the other', async (t) => {
  const stack = await stackForTest(t)
  if (!stack) return
  await stack.close('a')
  const answers = []
  for (let i = 0; i < 4; i++) answers.push(await fetch(`${stack.url}/health`))
  t.same(
    answers.map((res) => res.status),
    [200, 200, 200, 200],
  )
  t.same(instances(answers), ['b'])
})

t.test('with both copies stopped, NGINX answers 502 in the one error shape', async (t) => {
  const stack = await stackForTest(t)
  if (!stack) return
  await stack.close('a')
  await stack.close('b')
  const res = await fetch(`${stack.url}/health`)
  t.equal(res.status, 502)
  t.equal(res.headers.get('retry-after'), '5')
  t.same(await res.json(), {
    statusCode: 502,
    code: 'NO_SERVER',
    error: 'Bad Gateway',
    message: 'No copy of the app answered: retry in a moment.',
  })
})

t.test(
  'through NGINX, the app’s own page is still its own origin (Host is passed on)',
  async (t) => {
    const stack = await stackForTest(t)
    if (!stack) return
    const res = await fetch(`${stack.url}/auth/refresh`, {
      method: 'POST',
      headers: { origin: stack.url },
    })
    t.equal(res.status, 401, 'no cookie, but not 403 ORIGIN_NOT_ALLOWED')
    t.match(await res.json(), { code: 'INVALID_REFRESH_TOKEN' })
  },
)

const nginxProgram = findNginx()
t.test(
  'src/stack.ts starts NGINX and two copies, prints one URL, and stops them all on SIGTERM',
  { skip: 'reason' in nginxProgram && nginxProgram.reason },
  async (t) => {
    const redis = await testRedis(t)
    if ('skip' in redis) return
    const env = {
      PORT: String(await freePort()),
      DATABASE_URL: await testDatabase(t),
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
    }
    const lesson = fileURLToPath(new URL('..', import.meta.url))
    const stack = runScript(lesson, 'src/stack.ts', { env })
    t.teardown(() => stack.child.kill('SIGTERM'))
    let ready = null
    for (let i = 0; i < 6 && !ready && stack.child.exitCode === null; i++) {
      ready = await stack.waitFor(/Stack ready at (\S+)/)
    }
    t.ok(ready, stack.output())
    t.equal(stack.output().match(/http:\/\//g)?.length, 1, 'one URL')
    const res = await fetch(`${ready?.[1]}/health`)
    t.equal(res.status, 200)
    t.match(res.headers.get('x-instance'), /^[ab]$/)
    const copies =
      stack
        .output()
        .match(/on ports (\d+) and (\d+)/)
        ?.slice(1) ?? []
    stack.child.kill('SIGTERM')
    t.equal(await stack.exited, 0)
    for (const port of [env.PORT, ...copies]) {
      t.ok(await portIsFree(Number(port)), `nothing listens on ${port} any more`)
    }
  },
)
