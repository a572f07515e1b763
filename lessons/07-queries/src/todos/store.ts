import type { Kysely } from 'kysely'
import type { Database, TodoRow } from '../db/database.js'
import { type Cursor, decodeCursor } from './cursor.js'
import type { ListTodosQuery, Todo, UpdateTodo } from './schemas.js'

/**
 * Keeps to-dos in PostgreSQL. The methods are the ones lesson 04's in-memory store had, but
 * each one is now a query, so each one is async: the answer comes back over the network.
 * Kysely writes the SQL and sends values separately from it (as parameters), so a title such
 * as `'); DROP TABLE todos;--` is stored as text and never run as SQL.
 */
export class TodoStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One page of to-dos, filtered and sorted, and the cursor of the next page (if there is one).
   * Every sort ends with `id`, so the order is total: two to-dos never tie, and a page boundary
   * is always exact. Sorting "by createdAt" sorts by id: the database hands out ids in
   * increasing order as to-dos are created, and an id never ties.
   */
  async list(query: ListTodosQuery): Promise<{ todos: Todo[]; next?: Cursor }> {
    const byTitle = query.sort === 'title'
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, byTitle)
    const direction = query.order
    const comparison = direction === 'asc' ? '>' : '<'

    let select = this.db.selectFrom('todos').selectAll()
    if (query.done !== undefined) select = select.where('done', '=', query.done)
    if (query.q !== undefined) select = select.where('title', 'ilike', `%${escapeLike(query.q)}%`)
    if (after && byTitle) {
      // (title, id) > ('Milk', 7): after Milk #7 in title order, ties broken by id
      select = select.where(({ eb, refTuple, tuple }) =>
        eb(refTuple('title', 'id'), comparison, tuple(after.title ?? '', after.id)),
      )
    } else if (after) {
      select = select.where('id', comparison, after.id)
    }
    if (byTitle) select = select.orderBy('title', direction)
    // One row more than asked for tells us whether there is a next page.
    const rows = await select
      .orderBy('id', direction)
      .limit(query.limit + 1)
      .execute()

    const page = rows.slice(0, query.limit)
    const last = page.at(-1)
    let next: Cursor | undefined
    if (rows.length > query.limit && last) {
      next = byTitle ? { id: last.id, title: last.title } : { id: last.id }
    }
    return { todos: page.map(toTodo), next }
  }

  async get(id: number): Promise<Todo | undefined> {
    const row = await this.db
      .selectFrom('todos')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toTodo(row)
  }

  async create(title: string): Promise<Todo> {
    const row = await this.db
      .insertInto('todos')
      .values({ title })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toTodo(row)
  }

  /** Returns the changed to-do, or undefined when there is no to-do with that id. */
  async update(id: number, changes: UpdateTodo): Promise<Todo | undefined> {
    const row = await this.db
      .updateTable('todos')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return row && toTodo(row)
  }

  /** Returns false when there was no to-do with that id. */
  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('todos').where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

/** Database rows use snake_case and Date; the API sends camelCase and ISO strings. */
function toTodo(row: TodoRow): Todo {
  return { id: row.id, title: row.title, done: row.done, createdAt: row.created_at.toISOString() }
}

/** In LIKE patterns % and _ are wildcards: a search for "100%" must find the text "100%". */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`)
}
