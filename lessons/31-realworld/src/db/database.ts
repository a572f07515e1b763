import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Generated, Kysely, PostgresDialect, type Selectable } from 'kysely'
import pg from 'pg'

/** Each lesson keeps its data in a database of its own, named after the lesson's folder. */
const lessonFolder = basename(fileURLToPath(new URL('../..', import.meta.url)))
export const databaseName = `kitchen_${lessonFolder.replaceAll('-', '_')}`

/**
 * The tables, as TypeScript sees them. Kysely checks every query against these types: a
 * misspelt column, or text where a number belongs, fails when you compile, not at 3 a.m.
 * `Generated` marks a column the database fills in itself, which an insert may leave out.
 */
export interface UserTable {
  id: Generated<number>
  username: string
  email: string
  password_hash: string
  bio: string | null
  image: string | null
  created_at: Generated<Date>
}

export interface FollowTable {
  follower_id: number
  followed_id: number
}

export interface ArticleTable {
  id: Generated<number>
  slug: string
  title: string
  description: string
  body: string
  author_id: number
  /** How many users favourited it: changed only together with `favorites` (a transaction). */
  favorites_count: Generated<number>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface TagTable {
  id: Generated<number>
  name: string
}

export interface ArticleTagTable {
  article_id: number
  tag_id: number
}

export interface FavoriteTable {
  user_id: number
  article_id: number
}

export interface CommentTable {
  id: Generated<number>
  body: string
  article_id: number
  author_id: number
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface Database {
  users: UserTable
  follows: FollowTable
  articles: ArticleTable
  tags: TagTable
  article_tags: ArticleTagTable
  favorites: FavoriteTable
  comments: CommentTable
}

/** A row as a select returns it: `Generated<number>` is plain `number` there. */
export type UserRow = Selectable<UserTable>

/**
 * A pool: open connections that requests take turns using. The 'error' listeners keep a broken
 * connection from crashing the server. The timeouts make a database that is down or hung fail
 * a request within seconds (a 503), instead of leaving it waiting for ever. Kysely writes the
 * SQL; the pool sends it.
 */
export function createDatabase(
  databaseUrl: string,
  onError: (error: Error) => void,
  logQuery?: (query: { sql: string; values: unknown[]; ms: number }) => void,
): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 2_000, // to connect, or to wait for a free connection
    query_timeout: 5_000, // for an answer to a query: a hung server never sends one
    statement_timeout: 5_000, // Postgres itself cancels a query that runs longer
  })
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    // With logQuery (LOG_SQL), every query Kysely sends: its SQL, its values, how long it took.
    log: (event) => {
      if (event.level !== 'query' || !logQuery) return
      const values = event.query.parameters.map(shorten)
      logQuery({ sql: event.query.sql, values, ms: Math.round(event.queryDurationMillis) })
    },
  })
}

/** A long text among the values is cut: it may be a password hash, which no log should hold. */
function shorten(value: unknown): unknown {
  return typeof value === 'string' && value.length > 40 ? `${value.slice(0, 12)}…` : value
}
