import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { RefreshTokenError } from '../errors.js'

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

  /** At log-in, the first token of a new family; at a refresh, the next one of its family. */
  async create(userId: number, familyId: string = randomUUID(), db = this.db): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(this.now() + REFRESH_TOKEN_SECONDS * 1000)
    await db
      .insertInto('refresh_tokens')
      .values({
        user_id: userId,
        family_id: familyId,
        token_hash: hash(token),
        expires_at: expiresAt,
      })
      .execute()
    return token
  }

  /**
   * Trade a token for the next one of its family. One transaction now: the next token exists
   * before anyone can see this one used, so the revocation of a reuse (below) ends it too.
   */
  async use(token: string): Promise<{ userId: number; token: string }> {
    const now = new Date(this.now())
    const next = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', hash(token))
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['user_id', 'family_id'])
        .executeTakeFirst()
      return (
        row && { userId: row.user_id, token: await this.create(row.user_id, row.family_id, trx) }
      )
    })
    if (next) return next
    // Why not? Look at the token to say.
    const row = await this.db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', hash(token))
      .executeTakeFirst()
    if (!row) throw new RefreshTokenError('INVALID_REFRESH_TOKEN')
    if (row.revoked_at) throw new RefreshTokenError('REFRESH_TOKEN_REVOKED')
    if (!row.used_at) throw new RefreshTokenError('REFRESH_TOKEN_EXPIRED')
    // Used twice: two parties hold it, the user and a thief, and we cannot tell which is which.
    // So the whole family ends, and both must log in again.
    await this.revoke(token)
    throw new RefreshTokenError('REFRESH_TOKEN_REUSED')
  }

  /** Log-out: revoke every token of this token's family (none, for a token we do not know). */
  async revoke(token: string): Promise<void> {
    await this.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date(this.now()) })
      .where('revoked_at', 'is', null)
      .where('family_id', 'in', (eb) =>
        eb.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', hash(token)),
      )
      .execute()
  }
}
