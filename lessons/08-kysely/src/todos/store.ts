import type { Kysely } from 'kysely'
import type { Database, TodoRow } from '../db/database.js'
import type { Todo, UpdateTodo } from './schemas.js'

/**
 * Keeps to-dos in PostgreSQL: lesson 07's queries, now built by Kysely from method calls that
 * TypeScript checks against `Database` (see the README for the SQL each one sends). Kysely too
 * sends values beside the SQL as parameters ($1, $2), never inside it: no injection.
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

  /** Changes the fields given (the others keep theirs); undefined when there is no such to-do. */
  async update(id: number, changes: UpdateTodo): Promise<Todo | undefined> {
    // set() writes only the fields the change has: no coalesce() needed.
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

function toTodo(row: TodoRow): Todo {
  return { id: row.id, title: row.title, done: row.done, createdAt: row.created_at.toISOString() }
}
