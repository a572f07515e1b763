import { Kysely, type MigrationResultSet, Migrator, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrations } from './migrations/index.js'

export type Direction = 'latest' | 'up' | 'down'

/**
 * Bring a database's schema to the latest migration (or one step up or down).
 * A run of migrations happens in one transaction, so a failing one leaves no half-made change;
 * Kysely also takes a lock, so two servers starting at once do not migrate twice.
 */
export async function migrate(databaseUrl: string, direction: Direction = 'latest') {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  // Closing a connection takes a moment after destroy() returns. Should the database go away
  // in that moment (tests drop theirs straight after), its error must not crash the process.
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  try {
    const result: MigrationResultSet =
      direction === 'up'
        ? await migrator.migrateUp()
        : direction === 'down'
          ? await migrator.migrateDown()
          : await migrator.migrateToLatest()
    if (result.error) throw result.error
    return result.results ?? []
  } finally {
    await db.destroy()
  }
}

/** The form the tests' harness and the server use: bring the schema up to date. */
export async function migrateToLatest(databaseUrl: string): Promise<void> {
  await migrate(databaseUrl, 'latest')
}
