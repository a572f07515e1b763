import type { Kysely } from 'kysely'
import type { Database, UserRow } from '../db/database.js'
import type { User } from './schemas.js'

/** What can change about a user: the password only as its hash. */
export interface UserChanges {
  username?: string
  email?: string
  passwordHash?: string
  bio?: string | null
  image?: string | null
}

/**
 * Users in PostgreSQL. It is given a password's hash, never the password. A username or email
 * that is taken is refused by the UNIQUE constraints (the error handler answers 409).
 */
export class UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(username: string, email: string, passwordHash: string): Promise<User> {
    const row = await this.db
      .insertInto('users')
      .values({ username, email, password_hash: passwordHash })
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

  /** Change the fields given; the others (undefined: not sent) keep theirs. */
  async update(id: number, changes: UserChanges): Promise<User> {
    const { passwordHash, ...fields } = changes
    const values = { ...fields, password_hash: passwordHash }
    // Kysely's set() leaves undefined fields out; with none left there is nothing to write.
    if (Object.values(values).every((value) => value === undefined)) {
      return (await this.findById(id)) as User
    }
    const row = await this.db
      .updateTable('users')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return toUser(row)
  }
}

function toUser(row: UserRow): User {
  const { id, username, email, bio, image } = row
  return { id, username, email, bio, image }
}
