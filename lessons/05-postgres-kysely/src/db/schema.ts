import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

/**
 * Create the todos table if it is not there yet. Running this at every start is the simplest
 * thing that works; lesson 06 replaces it with migrations, which can also change a table that
 * already holds data.
 */
export async function createSchema(databaseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  // Closing a connection takes a moment after destroy() returns. Should the database go away
  // in that moment (tests drop theirs straight after), its error must not crash the process.
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
  try {
    await db.schema
      .createTable('todos')
      .ifNotExists()
      .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('done', 'boolean', (column) => column.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .execute()
  } finally {
    await db.destroy()
  }
}
