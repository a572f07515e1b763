import type { Kysely } from 'kysely'
import type { Database, UserRow } from '../db/database.js'
import type { User } from './schemas.js'

/** Users in PostgreSQL. It is given a password's hash, never the password. */
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

  /** The user with this email and their password hash: for log-in to check, never to send. */
  async findByEmail(email: string): Promise<(User & { passwordHash: string }) | undefined> {
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
