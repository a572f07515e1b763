import { Kysely, Migrator, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrations } from './migrations/index.js'

const STEPS = { latest: 'migrateToLatest', up: 'migrateUp', down: 'migrateDown' } as const
export type Direction = keyof typeof STEPS

/**
 * Bring a database's schema to the latest migration, or one step up or down; returns what it did.
 * One transaction (a failing migration changes nothing) under a lock (two servers, one run).
 */
export async function migrate(databaseUrl: string, direction: Direction = 'latest') {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  // A connection closing late (tests drop their database straight after) must not crash us.
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  try {
    const { error, results } = await migrator[STEPS[direction]]()
    if (error) throw error
    return results ?? []
  } finally {
    await db.destroy()
  }
}

/** What the server (at every start) and the tests use: bring the schema up to date. */
export async function migrateToLatest(databaseUrl: string): Promise<void> {
  await migrate(databaseUrl, 'latest')
}
