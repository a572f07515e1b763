import type { Kysely } from 'kysely'
import type { Database, ListRow } from '../db/database.js'
import type { List } from './schemas.js'

/**
 * Lists of to-dos. Note what is *not* here: no "does this name exist already?" query before
 * the insert. Two requests could both see "no" and both insert. The UNIQUE constraint decides
 * instead, atomically, and its error (23505) becomes a 409 in the error translator.
 * Each user has lists of their own: every query is limited to `userId`, the signed-in user.
 */
export class ListStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: number): Promise<List[]> {
    const rows = await this.db
      .selectFrom('lists')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute()
    return rows.map(toList)
  }

  async create(userId: number, name: string): Promise<List> {
    const row = await this.db
      .insertInto('lists')
      .values({ name, user_id: userId })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toList(row)
  }

  /** Returns false when there was no list with that id. A list with to-dos cannot go (409). */
  async delete(userId: number, id: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('lists')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

function toList(row: ListRow): List {
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString() }
}
