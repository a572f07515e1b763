/**
 * Domain errors: what went wrong, in the app's own words, knowing nothing about HTTP (no status
 * codes). `error-handler.ts` is the one place that decides which answer each of them becomes.
 * `resource` names what it is about ('article', 'profile', 'comment'): the spec puts it in the
 * answer, `{"errors":{"article":["not found"]}}`.
 */
export type Resource = 'article' | 'profile' | 'comment'

/** The thing asked for does not exist: no article has that slug. */
export class NotFoundError extends Error {
  override name = 'NotFoundError'

  constructor(readonly resource: Resource) {
    super(`${resource} not found`)
  }
}

/** It exists, but it is someone else's: only its author may change or delete it. */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError'

  constructor(readonly resource: Resource) {
    super(`${resource} forbidden`)
  }
}
