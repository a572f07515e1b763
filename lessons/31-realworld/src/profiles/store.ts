import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/database.js'
import { NotFoundError } from '../errors.js'
import type { Profile } from './schemas.js'

/**
 * `following` in SQL: does the reader follow the user whose id is in `userId` (a column such
 * as `author.id`)? Always false for a visitor. A plain piece of SQL (Kysely's `sql`) that the
 * article and comment queries use too; the reader's id still travels as a parameter ($1).
 */
export function following(readerId: number | null, userId: string): RawBuilder<boolean> {
  if (readerId === null) return sql<boolean>`false`
  return sql<boolean>`exists (
    select 1 from follows where follower_id = ${readerId} and followed_id = ${sql.ref(userId)})`
}

/** Profiles and follows in PostgreSQL. A username nobody has is a NotFoundError('profile'). */
export class ProfileStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The profile of `username` as the reader (null: a visitor) sees it. */
  async get(username: string, readerId: number | null): Promise<Profile> {
    const row = await this.db
      .selectFrom('users')
      .select(['users.username', 'users.bio', 'users.image'])
      .select(following(readerId, 'users.id').as('following'))
      .where('users.username', '=', username)
      .executeTakeFirst()
    if (!row) throw new NotFoundError('profile')
    return row
  }

  /** Follow a user. Following twice is following once: the primary key keeps one row. */
  async follow(followerId: number, username: string): Promise<Profile> {
    const { id, ...profile } = await this.findUser(username)
    await this.db
      .insertInto('follows')
      .values({ follower_id: followerId, followed_id: id })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    return { ...profile, following: true }
  }

  /** Stop following; not following already is fine (the answer is the same). */
  async unfollow(followerId: number, username: string): Promise<Profile> {
    const { id, ...profile } = await this.findUser(username)
    await this.db
      .deleteFrom('follows')
      .where('follower_id', '=', followerId)
      .where('followed_id', '=', id)
      .execute()
    return { ...profile, following: false }
  }

  private async findUser(username: string) {
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'bio', 'image'])
      .where('username', '=', username)
      .executeTakeFirst()
    if (!user) throw new NotFoundError('profile')
    return user
  }
}
