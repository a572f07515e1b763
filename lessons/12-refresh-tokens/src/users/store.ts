import type { Kysely } from 'kysely'
import type { Database, UserRow } from '../db/database.js'
import type { User } from './schemas.js'

/** A user together with the stored password hash: for checking a password, never for sending. */
export interface UserWithPasswordHash extends User {
  passwordHash: string
}

/**
 * Users in PostgreSQL. Like the lists, `create` does not ask "is this email taken?" first:
 * the UNIQUE constraint decides, and its error becomes a 409 in the error translator.
 * The store receives a hash, never a password: hashing happens before anything is stored.
 */
export class UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(email: string, passwordHash: string): Promise<User> {
    const row = await this.db
      .insertInto('users')
      .values({ email, password_hash: passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toUser(row)
  }

  async findByEmail(email: string): Promise<UserWithPasswordHash | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst()
    return row && { ...toUser(row), passwordHash: row.password_hash }
  }

  async findById(id: number): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toUser(row)
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, createdAt: row.created_at.toISOString() }
}
