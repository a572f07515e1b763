/**
 * Domain errors: what went wrong, in the app's own words, knowing nothing about HTTP (no status
 * codes). `error-handler.ts` is the one place that decides which answer each of them becomes.
 */

/** The thing asked for does not exist: there is no to-do with that id. */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
}
