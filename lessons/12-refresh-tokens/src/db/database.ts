import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Generated, Kysely, PostgresDialect, type Selectable } from 'kysely'
import pg from 'pg'

/** Each lesson keeps its data in a database of its own, named after the lesson's folder. */
const lessonFolder = basename(fileURLToPath(new URL('../..', import.meta.url)))
export const databaseName = `kitchen_${lessonFolder.replaceAll('-', '_')}`

/**
 * The tables, as TypeScript sees them. Kysely checks every query against these types:
 * a misspelt column or a string where a number belongs fails when you compile, not at 3 a.m.
 * `Generated` marks columns the database fills in itself (ids, defaults).
 */
export interface TodoTable {
  id: Generated<number>
  title: string
  done: Generated<boolean>
  created_at: Generated<Date>
  list_id: number | null
  version: Generated<number>
  /** The owner; null only for to-dos made before lesson 11 (nobody sees those). */
  user_id: number | null
}

export interface ListTable {
  id: Generated<number>
  name: string
  created_at: Generated<Date>
  /** The owner; null only for lists made before lesson 11. */
  user_id: number | null
}

export interface UserTable {
  id: Generated<number>
  email: string
  password_hash: string
  created_at: Generated<Date>
}

export interface RefreshTokenTable {
  id: Generated<number>
  user_id: number
  /** The log-in this token descends from: every refresh adds a token to the same family. */
  family_id: string
  /** SHA-256 of the token, as hex. The token itself is only ever in the user's cookie. */
  token_hash: string
  expires_at: Date
  /** When it was traded for the next token; a second use means it was copied. */
  used_at: Date | null
  /** When its family was ended, by log-out or because a token was used twice. */
  revoked_at: Date | null
  created_at: Generated<Date>
}

export interface Database {
  todos: TodoTable
  lists: ListTable
  users: UserTable
  refresh_tokens: RefreshTokenTable
}

export type TodoRow = Selectable<TodoTable>
export type ListRow = Selectable<ListTable>
export type UserRow = Selectable<UserTable>

/**
 * Connect to Postgres through a pool: a handful of open connections that requests take turns
 * using, because opening a new connection for every request is slow.
 */
export function createDatabase(
  databaseUrl: string,
  onError: (error: Error) => void,
): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    // Give up quickly when the database is down, so the caller gets a 503 instead of waiting.
    connectionTimeoutMillis: 2_000,
  })
  // A connection can break at any moment (the database restarted, say). Without a listener
  // for that, Node would crash the whole server; with one, only the request in flight fails
  // (with a 503) and the pool opens a new connection for the next one.
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}
