import { httpErrors } from '@kitchen/core'
import { type Kysely, sql } from 'kysely'
import type { Database, TodoRow } from '../db/database.js'
import { type Cursor, decodeCursor } from './cursor.js'
import type { ListTodosQuery, MoveTodos, Todo, UpdateTodo } from './schemas.js'

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

  /**
   * Returns the changed to-do, or undefined when there is no to-do with that id.
   * Optimistic concurrency: with `version`, the update happens only if nobody changed the
   * to-do since the caller read it. Two people editing at once cannot silently overwrite each
   * other: the second gets a 409 and reloads. No lock is held while a person thinks.
   */
  async update(id: number, { version, ...changes }: UpdateTodo): Promise<Todo | undefined> {
    let update = this.db
      .updateTable('todos')
      .set({ ...changes, version: sql`version + 1` })
      .where('id', '=', id)
    if (version !== undefined) update = update.where('version', '=', version)
    const row = await update.returningAll().executeTakeFirst()
    if (!row && version !== undefined && (await this.get(id))) {
      throw httpErrors.conflict(
        `To-do ${id} was changed by someone else since version ${version}: fetch it again, then retry.`,
        'VERSION_CONFLICT',
      )
    }
    return row && toTodo(row)
  }

  /**
   * Move several to-dos into a list, in one transaction: either every to-do moves, or (when
   * one id is unknown, half-way through) none does. Without the transaction, the to-dos before
   * the bad id would stay moved, and the caller could not tell which.
   */
  async move({ todoIds, listId }: MoveTodos): Promise<Todo[]> {
    return this.db.transaction().execute(async (trx) => {
      const moved: Todo[] = []
      // Always in id order: two moves of the same to-dos then lock their rows in the same
      // order, so neither can end up waiting for the other (a deadlock).
      for (const id of [...todoIds].sort((a, b) => a - b)) {
        const row = await trx
          .updateTable('todos')
          .set({ list_id: listId, version: sql`version + 1` })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
        // Throwing inside the transaction rolls back every update made so far.
        if (!row) throw httpErrors.notFound(`There is no to-do with id ${id}: nothing was moved.`)
        moved.push(toTodo(row))
      }
      return moved
    })
  }

  /** Returns false when there was no to-do with that id. */
  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('todos').where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

/** Database rows use snake_case and Date; the API sends camelCase and ISO strings. */
function toTodo(row: TodoRow): Todo {
  return {
    id: row.id,
    title: row.title,
    done: row.done,
    createdAt: row.created_at.toISOString(),
    listId: row.list_id,
    version: row.version,
  }
}

/** In LIKE patterns % and _ are wildcards: a search for "100%" must find the text "100%". */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`)
}
