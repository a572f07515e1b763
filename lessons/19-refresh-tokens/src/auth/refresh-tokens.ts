import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/** A refresh token is good for 30 days: a user who comes back within a month stays signed in. */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60

/** Only a token's SHA-256 is stored: a copy of the database holds no working cookie. */
const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/** Refresh tokens in PostgreSQL, dated by the app's clock (tests move it instead of waiting). */
export class RefreshTokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  async create(userId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(this.now() + REFRESH_TOKEN_SECONDS * 1000)
    await this.db
      .insertInto('refresh_tokens')
      .values({ user_id: userId, token_hash: hash(token), expires_at: expiresAt })
      .execute()
    return token
  }

  /**
   * Trade a token for the next one (rotation); undefined if it is unknown, used or expired. One
   * UPDATE, so of two requests with one token the second waits for the row, and finds it used.
   */
  async use(token: string): Promise<{ userId: number; token: string } | undefined> {
    const now = new Date(this.now())
    const row = await this.db
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hash(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst()
    return row && { userId: row.user_id, token: await this.create(row.user_id) }
  }
}
