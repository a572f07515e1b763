import { cleanDatabase } from '@kitchen/db/testing'
import { findRedisServer } from '@kitchen/servers'
import { testRedis } from '@kitchen/servers/testing'
import { listenOnFreePort, readyApp } from '@kitchen/testing'
import type { InjectOptions } from 'fastify'
import { Redis } from 'ioredis'
import tap, { type Test } from 'tap'
import { type AppOptions, buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'

export type App = ReturnType<typeof buildApp>

/**
 * scrypt's cost in the tests' apps: 2 ** 10 instead of 2 ** 15, so a sign-up takes a millisecond
 * or two, not a tenth of a second. (test/password.test.ts checks the real default.)
 */
export const testPasswordCost = 2 ** 10

/** The secret the tests' apps sign tokens with (any text of 32 characters or more). */
export const testJwtSecret = 'a-secret-for-the-tests-only-0123456789'

/** What every app of the tests is built with, besides its database. */
export const testAppOptions = {
  passwordCost: testPasswordCost,
  jwtSecret: testJwtSecret,
  // A test file signs up many users from one address: the limit has tests of its own.
  signupsPerMinute: 1000,
}

/**
 * One Redis for this test process's apps: a redis-server of its own (stopped at the end), or
 * without the program your REDIS_URL. Each app keeps its keys under a prefix of its own (`app7:`),
 * so no test sees another's. With neither, the apps run without Redis, as before lesson 26, and
 * the tests about Redis itself (cache.test.ts) are skipped, saying how to install it.
 */
const found = !('reason' in findRedisServer()) || process.env.REDIS_URL
const redis = found ? await testRedis(tap) : undefined
export const testRedisUrl = redis && 'url' in redis ? redis.url : undefined
// The servers some tests start (src/server.ts) use it too, rather than start `pnpm redis`'s.
if (testRedisUrl) process.env.REDIS_URL = testRedisUrl
// And they stop at once on SIGTERM: no balancer polls their /ready (readiness.test.ts drains).
process.env.DRAIN_SECONDS ??= '0'
let apps = 0
const redisOfItsOwn = () => ({ redisUrl: testRedisUrl, redisPrefix: `app${++apps}:` })

export interface TestAppOptions extends Partial<AppOptions> {
  /** Add a route of the test's own before the app starts (such as one that throws). */
  addRoutes?: (app: App) => void
}

/**
 * A fresh app for one test, on an emptied database (this test process's, see cleanDatabase),
 * unless the test passes a `databaseUrl` of its own. The app is closed when the test ends.
 * Nobody is signed in: the tests of signing in use it as it is.
 */
export async function anonymousAppForTest(t: Test, { addRoutes, ...options }: TestAppOptions = {}) {
  const databaseUrl = options.databaseUrl ?? (await cleanDatabase({ migrate: migrateToLatest }))
  const app = buildApp({ ...testAppOptions, ...redisOfItsOwn(), ...options, databaseUrl })
  addRoutes?.(app)
  return readyApp(t, app)
}

/** The password of the users the tests sign up. */
export const password = 'correct horse battery staple'

/** Sign up (unless the email has an account already) and log in. Returns the access token. */
export async function signIn(app: App, email = 'cook@example.com'): Promise<string> {
  await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } })
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
  return res.json().accessToken
}

/** The app as one signed-in user sees it: its `inject` sends that user's access token. */
export async function asUser(app: App, email?: string) {
  const authorization = `Bearer ${await signIn(app, email)}`
  return {
    inject: (request: InjectOptions) =>
      app.inject({ ...request, headers: { authorization, ...request.headers } }),
    close: () => app.close(),
  }
}

/**
 * A fresh app for one test, as a signed-in user sees it, so that the tests written before
 * log-in existed keep working unchanged.
 */
export async function appForTest(t: Test, options: TestAppOptions = {}) {
  return asUser(await anonymousAppForTest(t, options))
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
  return listenOnFreePort(t, buildApp({ ...testAppOptions, ...redisOfItsOwn(), databaseUrl }))
}

let redisApps = 0
/**
 * An app on the Redis at `url`, its keys under a prefix of their own, and a client that looks
 * into Redis as the app sees it (the tests of Redis itself). Apps made with the same `prefix`
 * and `databaseUrl` share their keys and their rows: they are copies of one app.
 */
export async function appOnRedis(
  t: Test,
  url: string,
  options: TestAppOptions = {},
  prefix = `redis${++redisApps}:`,
) {
  const app = await anonymousAppForTest(t, { redisUrl: url, redisPrefix: prefix, ...options })
  const redis = new Redis(url, { keyPrefix: prefix })
  redis.on('error', () => {}) // tests that stop Redis: this client need not say so
  t.teardown(() => redis.disconnect())
  return { app, redis }
}

/** The header that sends an access token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** GET /me with this access token. */
export const me = (app: App, token: string) =>
  app.inject({ method: 'GET', url: '/me', headers: bearer(token) })

/** The claims of a JWT: its middle part is base64url JSON. */
export const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())
