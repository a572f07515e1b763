/**
 * Domain errors: what went wrong, in the app's own words. They know nothing about HTTP (no
 * status codes), so the code that finds the problem does not have to; `error-handler.ts` is the
 * one place that decides which HTTP answer each of them becomes.
 */

/** The thing asked for does not exist: there is no to-do with that id. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NotFoundError'
  }
}
