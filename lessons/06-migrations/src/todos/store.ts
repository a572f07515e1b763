import type { Kysely } from 'kysely'
import type { Database, TodoRow } from '../db/database.js'
import type { Todo, UpdateTodo } from './schemas.js'

/**
 * Keeps to-dos in PostgreSQL. The methods are the ones lesson 04's in-memory store had, but
 * each one is now a query, so each one is async: the answer comes back over the network.
 * Kysely writes the SQL and sends values separately from it (as parameters), so a title such
 * as `'); DROP TABLE todos;--` is stored as text and never run as SQL.
 */
export class TodoStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Todo[]> {
    const rows = await this.db.selectFrom('todos').selectAll().orderBy('id').execute()
    return rows.map(toTodo)
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
