import { listenForTest, testApp } from '@kitchen/core/testing'
import { testDatabase } from '@kitchen/db/testing'
import type { InjectOptions } from 'fastify'
import type { Test } from 'tap'
import { type AppOptions, buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'

type App = ReturnType<typeof buildApp>

/** The secret the tests' apps sign tokens with (any text of 32 characters or more). */
export const testJwtSecret = 'a-secret-for-the-tests-only-0123456789'

/** The password of the users the helpers sign up. */
export const password = 'correct horse battery staple'

/** A fresh, empty database of this test's own (dropped when the test ends). Returns its URL. */
export async function databaseForTest(t: Test) {
  return testDatabase(t, { migrate: migrateToLatest })
}

/**
 * A fresh app for one test: its own empty database, closed when the test ends.
 * `addRoutes` lets a test add a route of its own before the app starts.
 */
export async function appForTest(
  t: Test,
  options: Partial<AppOptions> = {},
  addRoutes?: (app: App) => void,
) {
  const app = buildApp({
    databaseUrl: await databaseForTest(t),
    jwtSecret: testJwtSecret,
    ...options,
  })
  addRoutes?.(app)
  return testApp(t, app)
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  return listenForTest(
    t,
    buildApp({ databaseUrl: await databaseForTest(t), jwtSecret: testJwtSecret }),
  )
}

/**
 * Sign up (unless that email has an account already) and log in. Returns the access token and
 * the header that carries it: `headers: authHeader`.
 */
export async function signUpAndLogIn(app: App, email = 'cook@example.com') {
  await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } })
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } })
  const token: string = res.json().accessToken
  return { token, authHeader: { authorization: `Bearer ${token}` } }
}

/**
 * The app as one signed-in user sees it: its `inject` sends that user's token with every
 * request, so a test written before log-in existed keeps working with one change:
 *   const app = await asUser(await appForTest(t))
 */
export async function asUser(app: App, email?: string) {
  const { authHeader } = await signUpAndLogIn(app, email)
  return {
    inject: (request: InjectOptions) =>
      app.inject({ ...request, headers: { ...authHeader, ...request.headers } }),
  }
}

/**
 * Two signed-in users of one app, Ann and Bob: for checking that neither can see or change
 * what the other owns. Each is an `inject` that sends that user's token, as in `asUser`.
 */
export async function twoUsers(app: App) {
  return { ann: await asUser(app, 'ann@x.org'), bob: await asUser(app, 'bob@x.org') }
}
