import type { Kysely } from 'kysely'
import type { Database, ListRow } from '../db/database.js'
import type { List } from './schemas.js'

/**
 * Lists of to-dos. Note what is *not* here: no "does this name exist already?" query before
 * the insert. Two requests could both see "no" and both insert. The UNIQUE constraint decides
 * instead, atomically, and its error (23505) becomes a 409 in the error translator.
 */
export class ListStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<List[]> {
    const rows = await this.db.selectFrom('lists').selectAll().orderBy('id').execute()
    return rows.map(toList)
  }

  async create(name: string): Promise<List> {
    const row = await this.db
      .insertInto('lists')
      .values({ name })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toList(row)
  }

  /** Returns false when there was no list with that id. A list with to-dos cannot go (409). */
  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('lists').where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

function toList(row: ListRow): List {
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString() }
}
