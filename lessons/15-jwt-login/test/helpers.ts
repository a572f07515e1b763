import { cleanDatabase } from '@kitchen/db/testing'
import { listenOnFreePort, readyApp } from '@kitchen/testing'
import type { Test } from 'tap'
import { type AppOptions, buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'

type App = ReturnType<typeof buildApp>

/**
 * scrypt's cost in the tests' apps: 2 ** 10 instead of 2 ** 15, so a sign-up takes a millisecond
 * or two, not a tenth of a second. (test/password.test.ts checks the real default.)
 */
export const testPasswordCost = 2 ** 10

/** The secret the tests' apps sign tokens with (any text of 32 characters or more). */
export const testJwtSecret = 'a-secret-for-the-tests-only-0123456789'

/** What every app of the tests is built with, besides its database. */
export const testAppOptions = { passwordCost: testPasswordCost, jwtSecret: testJwtSecret }

export interface TestAppOptions extends Partial<AppOptions> {
  /** Add a route of the test's own before the app starts (such as one that throws). */
  addRoutes?: (app: App) => void
}

/**
 * A fresh app for one test, on an emptied database (this test process's, see cleanDatabase),
 * unless the test passes a `databaseUrl` of its own. The app is closed when the test ends.
 */
export async function appForTest(t: Test, { addRoutes, ...options }: TestAppOptions = {}) {
  const databaseUrl = options.databaseUrl ?? (await cleanDatabase({ migrate: migrateToLatest }))
  const app = buildApp({ ...testAppOptions, ...options, databaseUrl })
  addRoutes?.(app)
  return readyApp(t, app)
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
  return listenOnFreePort(t, buildApp({ ...testAppOptions, databaseUrl }))
}
