import type { CreateAppOptions } from '@kitchen/core'
import { listenForTest, testApp } from '@kitchen/core/testing'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'

type App = ReturnType<typeof buildApp>

/**
 * A fresh app for one test: its own empty to-do store, closed when the test ends.
 * `addRoutes` lets a test add a route of its own before the app starts.
 */
export async function appForTest(
  t: Test,
  options: CreateAppOptions = {},
  addRoutes?: (app: App) => void,
) {
  const app = buildApp(options)
  addRoutes?.(app)
  return testApp(t, app)
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  return listenForTest(t, buildApp())
}
