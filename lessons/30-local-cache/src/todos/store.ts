import { type Kysely, sql } from 'kysely'
import type { Database, TodoRow } from '../db/database.js'
import { ConflictError, NotFoundError } from '../errors.js'
import type { Cursor } from './cursor.js'
import type { ListTodosQuery, MoveTodos, Todo, UpdateTodo } from './schemas.js'

/**
 * Keeps to-dos in PostgreSQL: lesson 07's queries, now built by Kysely from method calls that
 * TypeScript checks against `Database` (see the README for the SQL each one sends). Kysely too
 * sends values beside the SQL as parameters ($1, $2), never inside it: no injection. Every
 * method takes `userId` (the signed-in user, from the token) and every query filters by it:
 * another user's to-do is simply not there (404).
 */
export class TodoStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One page of to-dos, filtered and sorted, and the cursor of the next page (if there is one).
   * Every sort ends with `id`, so no two rows tie. "By createdAt" is by id: ids grow with time.
   */
  async list(
    userId: number,
    query: ListTodosQuery,
    after?: Cursor,
  ): Promise<{ todos: Todo[]; next?: Cursor }> {
    const byTitle = query.sort === 'title'
    const comparison = query.order === 'asc' ? '>' : '<'
    let select = this.db.selectFrom('todos').selectAll().where('user_id', '=', userId)
    if (query.done !== undefined) select = select.where('done', '=', query.done)
    if (query.q !== undefined) select = select.where('title', 'ilike', `%${escapeLike(query.q)}%`)
    if (after && byTitle) {
      // (title, id) > ('Milk', 7): after Milk #7 in title order, ties broken by id
      select = select.where(({ eb, refTuple, tuple }) =>
        eb(refTuple('title', 'id'), comparison, tuple(after.title, after.id)),
      )
    } else if (after) {
      select = select.where('id', comparison, after.id)
    }
    if (byTitle) select = select.orderBy('title', query.order)
    // One row more than asked for tells us whether there is a next page.
    const rows = await select
      .orderBy('id', query.order)
      .limit(query.limit + 1)
      .execute()
    const page = rows.slice(0, query.limit)
    const last = page.at(-1)
    const next = rows.length > query.limit && last ? { id: last.id, title: last.title } : undefined
    return { todos: page.map(toTodo), next }
  }

  async get(userId: number, id: number): Promise<Todo | undefined> {
    const row = await this.db
      .selectFrom('todos')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row && toTodo(row)
  }

  /** The to-dos of several lists, in one query: GraphQL's loader asks for all of them at once. */
  async inLists(userId: number, listIds: number[]): Promise<Todo[]> {
    const rows = await this.db
      .selectFrom('todos')
      .selectAll()
      .where('user_id', '=', userId)
      .where('list_id', 'in', listIds)
      .orderBy('id')
      .execute()
    return rows.map(toTodo)
  }

  async create(userId: number, title: string): Promise<Todo> {
    const row = await this.db
      .insertInto('todos')
      .values({ title, user_id: userId })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toTodo(row)
  }

  /**
   * Changes the fields given (the others keep theirs); undefined when there is no such to-do.
   * Optimistic concurrency: with a `version`, the update happens only if nobody changed the
   * to-do since the caller read it; otherwise a ConflictError. No lock is held meanwhile.
   */
  async update(
    userId: number,
    id: number,
    { version, ...changes }: UpdateTodo,
  ): Promise<Todo | undefined> {
    // set() writes only the fields the change has: no coalesce() needed.
    let update = this.db
      .updateTable('todos')
      .set({ ...changes, version: sql`version + 1` })
      .where('id', '=', id)
      .where('user_id', '=', userId)
    // The check and the write are one statement: two racing updates cannot both match.
    if (version !== undefined) update = update.where('version', '=', version)
    const row = await update.returningAll().executeTakeFirst()
    // Only our own to-do can conflict: for another user's, a 409 would say "it exists".
    if (!row && version !== undefined && (await this.get(userId, id))) {
      const message = `To-do ${id} was changed by someone else since version ${version}: fetch it again, then retry.`
      throw new ConflictError(message, 'VERSION_CONFLICT')
    }
    return row && toTodo(row)
  }

  /**
   * Move several to-dos into a list in one transaction: all of them move, or (when an id is
   * unknown half-way through) none: the caller is never left guessing which ones moved.
   */
  async move(userId: number, { todoIds, listId }: MoveTodos): Promise<Todo[]> {
    return this.db.transaction().execute(async (trx) => {
      const moved: Todo[] = []
      // In id order: two moves then lock shared rows in one order, never waiting on each other.
      for (const id of [...todoIds].sort((a, b) => a - b)) {
        // Every query goes through `trx`: one through this.db would run outside the transaction.
        const row = await trx
          .updateTable('todos')
          .set({ list_id: listId, version: sql`version + 1` })
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .returningAll()
          .executeTakeFirst()
        // Throwing inside the transaction rolls back every update made so far.
        if (!row) throw new NotFoundError(`There is no to-do with id ${id}: nothing was moved.`)
        moved.push(toTodo(row))
      }
      return moved
    })
  }

  /** Returns false when there was no to-do with that id. */
  async delete(userId: number, id: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('todos')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

/** In LIKE patterns % and _ are wildcards: a search for "100%" must find the text "100%". */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`)
}

function toTodo(row: TodoRow): Todo {
  const { id, title, done, list_id: listId, version } = row
  return { id, title, done, createdAt: row.created_at.toISOString(), listId, version }
}
