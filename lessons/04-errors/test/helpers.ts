import { listenOnFreePort, readyApp } from '@kitchen/testing'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'

type App = ReturnType<typeof buildApp>

export interface TestAppOptions {
  /** Add a route of the test's own before the app starts (such as one that throws). */
  addRoutes?: (app: App) => void
}

/** A fresh app for one test: its own empty to-do store, closed when the test ends. */
export async function appForTest(t: Test, { addRoutes }: TestAppOptions = {}) {
  const app = buildApp()
  addRoutes?.(app)
  return readyApp(t, app)
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  return listenOnFreePort(t, buildApp())
}
