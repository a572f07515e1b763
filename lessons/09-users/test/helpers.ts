import type { CreateAppOptions } from '@kitchen/core'
import { listenForTest, testApp } from '@kitchen/core/testing'
import { testDatabase } from '@kitchen/db/testing'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'

type App = ReturnType<typeof buildApp>

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
  options: CreateAppOptions = {},
  addRoutes?: (app: App) => void,
) {
  const app = buildApp({ databaseUrl: await databaseForTest(t), ...options })
  addRoutes?.(app)
  return testApp(t, app)
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  return listenForTest(t, buildApp({ databaseUrl: await databaseForTest(t) }))
}
