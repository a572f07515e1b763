import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/** Each lesson keeps its data in a database of its own, named after the lesson's folder. */
const lessonFolder = basename(fileURLToPath(new URL('../..', import.meta.url)))
export const databaseName = `kitchen_${lessonFolder.replaceAll('-', '_')}`

/**
 * A pool: open connections that requests take turns using. The 'error' listeners keep a broken
 * connection from crashing the server; a database that is down fails a query after 2 s, not later.
 */
export function createPool(databaseUrl: string, onError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 })
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  return pool
}
