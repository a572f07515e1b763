import type { Kysely } from 'kysely'
import type { Cache } from '../cache.js'
import type { Database, UserRow } from '../db/database.js'
import type { LocalCache } from '../local-cache.js'
import type { User } from './schemas.js'

/** Users in PostgreSQL, copied in Redis. It is given a password's hash, never the password. */
export class UserStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: Cache,
    private readonly memory: LocalCache,
  ) {}

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

  /**
   * Asked by every signed-in request, so cached (cache-aside): Redis's copy if it has one; else
   * Postgres's row, copied to Redis for 60 s (what a change made behind our back may take to show).
   */
  async findById(id: number): Promise<User | undefined> {
    const cached = await this.cache.run((redis) => redis.get(`user:${id}`))
    if (cached) return JSON.parse(cached)
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    const user = row && toUser(row)
    // null: Redis answered, without a copy. undefined: it failed: do not wait for it twice.
    if (user && cached === null) {
      await this.cache.run((redis) => redis.set(`user:${id}`, JSON.stringify(user), 'EX', 60))
    }
    return user
  }

  /** Delete the account, and with it its to-dos, lists and refresh tokens (ON DELETE CASCADE). */
  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute()
    // Then forget Redis's copy: the user's tokens must stop working now, not when it expires.
    // Every change to a user goes through this store, the one place that must forget it.
    await this.cache.run((redis) => redis.del(`user:${id}`))
    await this.memory.forgetEverywhere(`user:${id}`) // and every copy's memory (local-cache.ts)
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, createdAt: row.created_at.toISOString() }
}
