import { checkDatabaseName, maskPassword, withClient, withDatabase } from './connection.js'
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.js'
import { DatabaseStartError } from './postgres.js'

export interface ResolvedDatabase {
  /** The URL the app connects to. */
  url: string
  /** Set when we use the embedded server: stop it on shutdown (it only stops if we started it). */
  embedded?: EmbeddedPostgres
}

/**
 * Which database should the app use?
 * - DATABASE_URL set: that one, unchanged; nothing is started.
 * - Otherwise: the embedded Postgres (started, or reused if running), with the database named
 *   here created if missing. Each lesson has its own database because their tables differ.
 * A DATABASE_URL is checked to answer (unless `check: false`): a wrong URL or a stopped server
 * fails here, with a DatabaseUnreachableError whose message says what to do.
 */
export async function resolveDatabaseUrl(options: {
  database: string
  log?: (line: string) => void
  check?: boolean
}): Promise<ResolvedDatabase> {
  const fromEnv = process.env.DATABASE_URL
  if (fromEnv) {
    if (options.check !== false) await checkDatabaseReachable(fromEnv)
    return { url: fromEnv }
  }

  const log = options.log ?? console.log
  const database = checkDatabaseName(options.database)
  const embedded = await startEmbeddedPostgres({ log })
  try {
    await withClient(embedded.url, async (client) => {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
      if (found.rowCount) return
      await client.query(`CREATE DATABASE ${database}`).catch((error) => {
        // 42P04: someone created it between our check and now, which is fine.
        if ((error as { code?: string }).code !== '42P04') throw error
      })
    })
  } catch (error) {
    await embedded.stop()
    throw error
  }
  const url = withDatabase(embedded.url, database)
  log(`Database: ${url}`)
  return { url, embedded }
}

/** The database at DATABASE_URL (or wherever) cannot be reached; the message says what to do. */
export class DatabaseUnreachableError extends DatabaseStartError {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseUnreachableError'
  }
}

/**
 * Connect once and run `SELECT 1`, so a wrong URL shows up at start-up as one clear sentence
 * instead of a stack trace on the first request.
 */
export async function checkDatabaseReachable(url: string): Promise<void> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'))
  } catch (error) {
    throw new DatabaseUnreachableError(describeFailure(url, error))
  }
}

function describeFailure(url: string, error: unknown): string {
  const { code, message } = error as { code?: string; message?: string }
  const where = `Cannot reach the database at ${maskPassword(url)}`
  if (code === '28P01' || code === '28000') {
    return `${where}: the user name or password is wrong (${message}). Check DATABASE_URL.`
  }
  if (code === '3D000') {
    return `${where}: ${message}. Create it (CREATE DATABASE ...) or fix the name in DATABASE_URL.`
  }
  return `${where} (${message || code || 'no answer'}). Is Postgres running? Unset DATABASE_URL to use the embedded one, or run \`pnpm db start\`.`
}
