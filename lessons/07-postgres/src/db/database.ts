import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/** Each lesson keeps its data in a database of its own, named after the lesson's folder. */
const lessonFolder = basename(fileURLToPath(new URL('../..', import.meta.url)))
export const databaseName = `kitchen_${lessonFolder.replaceAll('-', '_')}`

/**
 * A pool: open connections that requests take turns using. The 'error' listeners keep a broken
 * connection from crashing the server. The timeouts make a database that is down or hung fail
 * a request within seconds (a 503), instead of leaving it waiting for ever.
 */
export function createPool(databaseUrl: string, onError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 2_000, // to connect, or to wait for a free connection
    query_timeout: 5_000, // for an answer to a query: a hung server never sends one
    statement_timeout: 5_000, // Postgres itself cancels a query that runs longer
  })
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  return pool
}
