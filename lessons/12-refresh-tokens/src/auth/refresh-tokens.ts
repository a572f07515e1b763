import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/** A refresh token is good for 30 days: a user who comes back within a month stays signed in. */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60

/** A new token: 32 random bytes (256 bits), as 43 characters of base64url text. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * We store the SHA-256 of each token, never the token: a copy of the database (a backup, a
 * leak) then holds nothing that works as a cookie. A fast hash is enough here, unlike for
 * passwords (lesson 09's slow scrypt): people choose passwords a thief can guess, so each
 * guess must be made expensive. Nobody can guess 256 random bits, fast hash or not. And being
 * unsalted, the same token always gives the same hash, so we can look a token up by it.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** 43 characters of base64url: the only shape our tokens have. Anything else is not ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** What trading in a refresh token gave: the user and their next token, or why not. */
export type RefreshResult =
  | { ok: true; userId: number; token: string }
  | { ok: false; reason: 'unknown' | 'revoked' | 'reused' | 'expired' }

/**
 * Refresh tokens in PostgreSQL. `now` is the app's clock (the tests move it on instead of
 * waiting 30 days), so expiry is checked here, in code, against `now()`: never against the
 * database's own clock, which the tests cannot move.
 */
export class RefreshTokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /** At log-in: a new family, and its first token. */
  async create(userId: number): Promise<string> {
    return this.insert(this.db, userId, randomUUID())
  }

  /**
   * Trade a token for the next one of its family (rotation). A token works once: using it
   * again means that two parties hold it (the user and a thief), and we cannot tell which is
   * which, so the whole family is revoked and both must log in again.
   *
   * One transaction, and `FOR UPDATE`: the row stays locked until we have marked it used, so
   * a second request with the same token waits, then sees `used_at` set. Without the lock,
   * both could read "unused" at the same moment and both get a new token.
   */
  async use(token: string): Promise<RefreshResult> {
    if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'unknown' }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('token_hash', '=', hashRefreshToken(token))
        .forUpdate()
        .executeTakeFirst()
      if (!row) return { ok: false, reason: 'unknown' }
      if (row.revoked_at) return { ok: false, reason: 'revoked' }
      if (row.used_at) {
        // We return instead of throwing, so the transaction commits the revocation.
        await this.revokeFamily(trx, row.family_id)
        return { ok: false, reason: 'reused' }
      }
      const now = new Date(this.now())
      if (row.expires_at <= now) return { ok: false, reason: 'expired' }

      await trx
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('id', '=', row.id)
        .execute()
      const next = await this.insert(trx, row.user_id, row.family_id)
      return { ok: true, userId: row.user_id, token: next }
    })
  }

  /** At log-out: revoke the family of this token. An unknown token is fine: nothing to do. */
  async revoke(token: string): Promise<void> {
    if (!TOKEN_SHAPE.test(token)) return
    const row = await this.db
      .selectFrom('refresh_tokens')
      .select('family_id')
      .where('token_hash', '=', hashRefreshToken(token))
      .executeTakeFirst()
    if (row) await this.revokeFamily(this.db, row.family_id)
  }

  private async revokeFamily(db: Kysely<Database>, familyId: string): Promise<void> {
    await db
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date(this.now()) })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute()
  }

  /** Store a new token of this family (its hash), and return the token itself. */
  private async insert(db: Kysely<Database>, userId: number, familyId: string): Promise<string> {
    const token = newRefreshToken()
    await db
      .insertInto('refresh_tokens')
      .values({
        user_id: userId,
        family_id: familyId,
        token_hash: hashRefreshToken(token),
        expires_at: new Date(this.now() + REFRESH_TOKEN_SECONDS * 1000),
      })
      .execute()
    return token
  }
}
