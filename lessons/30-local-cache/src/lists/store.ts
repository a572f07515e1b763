import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { List } from './schemas.js'

/**
 * Lists of to-dos. No "is this name taken?" query before the insert: two requests could both
 * hear "no" and both insert. The UNIQUE constraint decides, atomically (a 409 when it refuses).
 */
export class ListStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: number): Promise<List[]> {
    return this.db
      .selectFrom('lists')
      .select(['id', 'name'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute()
  }

  async create(userId: number, name: string): Promise<List> {
    return this.db
      .insertInto('lists')
      .values({ name, user_id: userId })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow()
  }

  /** Returns false when there was no list with that id. One with to-dos in it: a 409 (RESTRICT). */
  async delete(userId: number, id: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('lists')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}
