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
