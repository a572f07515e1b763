/**
 * Domain errors: what went wrong, in the app's own words, knowing nothing about HTTP (no status
 * codes). `error-handler.ts` is the one place that decides which answer each of them becomes.
 */

/** The thing asked for does not exist: there is no to-do with that id. */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
}

/**
 * The request clashes with what is there now, such as a change based on an old version of a
 * to-do. `code` tells programs which clash it is (VERSION_CONFLICT); the message tells people.
 */
export class ConflictError extends Error {
  override name = 'ConflictError'

  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

const refreshTokenFailures = {
  INVALID_REFRESH_TOKEN: 'The refresh token is not valid: log in.',
  REFRESH_TOKEN_EXPIRED: 'The refresh token has expired: log in again.',
  REFRESH_TOKEN_REVOKED: 'The refresh token was revoked: log in again.',
  REFRESH_TOKEN_REUSED:
    'This refresh token was used before, so it may have been copied: every session of that log-in is ended. Log in again.',
}

/** A refresh token that cannot be traded in: `code` says why, the message what to do. */
export class RefreshTokenError extends Error {
  override name = 'RefreshTokenError'

  constructor(readonly code: keyof typeof refreshTokenFailures) {
    super(refreshTokenFailures[code])
  }
}
