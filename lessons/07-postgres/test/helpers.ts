import { cleanDatabase } from '@kitchen/db/testing'
import { listenOnFreePort, readyApp } from '@kitchen/testing'
import type { Test } from 'tap'
import { type AppOptions, buildApp } from '../src/app.js'
import { createSchema } from '../src/db/schema.js'

type App = ReturnType<typeof buildApp>

export interface TestAppOptions extends Partial<AppOptions> {
  /** Add a route of the test's own before the app starts (such as one that throws). */
  addRoutes?: (app: App) => void
}

/**
 * A fresh app for one test, on an emptied database (this test process's, see cleanDatabase),
 * unless the test passes a `databaseUrl` of its own. The app is closed when the test ends.
 */
export async function appForTest(t: Test, { addRoutes, ...options }: TestAppOptions = {}) {
  const databaseUrl = options.databaseUrl ?? (await cleanDatabase({ migrate: createSchema }))
  const app = buildApp({ ...options, databaseUrl })
  addRoutes?.(app)
  return readyApp(t, app)
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  const databaseUrl = await cleanDatabase({ migrate: createSchema })
  return listenOnFreePort(t, buildApp({ databaseUrl }))
}
