import { createRequire } from 'node:module'
import { join } from 'node:path'

/**
 * Counting the SQL queries a server sends, in its own process (serve.ts). Every query of a
 * lesson, through Kysely or by hand, ends in `client.query()` of its copy of `pg` (a Pool's
 * clients are of that class too), so a wrapper around that one method sees them all. It counts
 * only between 'start' and 'stop', so the measured run is not slowed down.
 */

/** What the parent asks (over IPC), and what the child answers. */
export type QueryCountMessage = { queryCount: 'start' | 'stop' }
export interface QueryCount {
  /** Queries sent since 'start'. */
  queries: number
  /** Their SQL, each text once, in the order first sent. */
  sql: string[]
}

interface PgModule {
  Client: { prototype: { query: (...args: unknown[]) => unknown } }
}

let counting = false
let counted: QueryCount = { queries: 0, sql: [] }
const wrapped = new Set<object>()

/** Wrap the query method of the `pg` that the lesson in `lessonDir` uses (once). */
function wrap(lessonDir: string) {
  const pg = createRequire(join(lessonDir, 'package.json'))('pg') as PgModule
  const prototype = pg.Client.prototype
  if (wrapped.has(prototype)) return
  wrapped.add(prototype)
  const query = prototype.query
  prototype.query = function (this: unknown, ...args: unknown[]) {
    if (counting) {
      const [first] = args
      const text = typeof first === 'string' ? first : (first as { text?: string })?.text
      counted.queries++
      if (text !== undefined && !counted.sql.includes(text)) counted.sql.push(text)
    }
    return query.apply(this, args)
  }
}

/** The child's side: answer 'start' and 'stop' messages for the lesson in `lessonDir`. */
export function answerQueryCounts(lessonDir: string | undefined, send: (message: object) => void) {
  process.on('message', (message: QueryCountMessage) => {
    if (message?.queryCount === 'start') {
      try {
        if (!lessonDir) throw new Error('only a lesson’s server or its raw pg twin sends SQL')
        wrap(lessonDir)
      } catch (error) {
        send({ queryCount: 'failed', error: (error as Error).message })
        return
      }
      counted = { queries: 0, sql: [] }
      counting = true
      send({ queryCount: 'started' })
    } else if (message?.queryCount === 'stop') {
      counting = false
      send({ queryCount: counted })
    }
  })
}

/** The child's answers, as the parent sees them (child.ts). */
export type QueryCountAnswer =
  | { queryCount: 'started' }
  | { queryCount: 'failed'; error: string }
  | { queryCount: QueryCount }
