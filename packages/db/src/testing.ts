import { randomBytes } from 'node:crypto'
import { withClient, withDatabase } from './connection.js'
import { startThrowawayServer } from './throwaway.js'

/** The bit of a tap test these helpers need: somewhere to register clean-up. */
export interface Teardown {
  teardown(fn: () => unknown): void
}

export interface TestDatabaseOptions {
  /** Create the tables (run the migrations) in the new database before the test uses it. */
  migrate?: (url: string) => Promise<void>
}

/**
 * A fresh, empty database for one test (or one test file), dropped when the test ends:
 *   const url = await testDatabase(t, { migrate })
 * It lives on the server at DATABASE_URL, which `with-test-database` (what `pnpm test` runs)
 * starts once for the whole run. Creating one takes tens of milliseconds.
 */
export async function testDatabase(
  t: Teardown,
  options: TestDatabaseOptions = {},
): Promise<string> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    throw new Error(
      'DATABASE_URL is not set, so there is no server for test databases. Run the tests with `pnpm test` (or `with-test-database tap`), which starts one.',
    )
  }
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  // Teardowns run last-registered first, so the app and its pool close before this drop.
  // FORCE closes any connection that was left open, which would otherwise block the drop.
  t.teardown(() =>
    withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  )
  const url = withDatabase(adminUrl, name)
  await options.migrate?.(url)
  return url
}

export interface PrivateTestServer {
  /** The admin URL (database "postgres") of this server. */
  url: string
  /** Stop the server: connections break and new ones are refused (ECONNREFUSED). */
  stop(): Promise<void>
  /** Start it again on the same port, with the same data. */
  start(): Promise<void>
}

/**
 * A Postgres server for this test alone, for tests about the database going away (a 503, a
 * reconnecting pool). It is stopped and its folder deleted when the test ends. Starting one
 * takes about half a second, so use `testDatabase` for everything else.
 */
export async function privateTestServer(t: Teardown): Promise<PrivateTestServer> {
  const server = await startThrowawayServer()
  t.teardown(() => server.remove())
  return { url: server.url, stop: () => server.stop(), start: () => server.start() }
}
