import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { List } from './schemas.js'

/**
 * Lists of to-dos. No "is this name taken?" query before the insert: two requests could both
 * hear "no" and both insert. The UNIQUE constraint decides, atomically (a 409 when it refuses).
 */
export class ListStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<List[]> {
    return this.db.selectFrom('lists').selectAll().orderBy('id').execute()
  }

  async create(name: string): Promise<List> {
    return this.db.insertInto('lists').values({ name }).returningAll().executeTakeFirstOrThrow()
  }
}
