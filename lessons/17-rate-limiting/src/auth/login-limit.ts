import type { RateLimitOptions } from '@fastify/rate-limit'
import { HttpError } from '../error-handler.js'

/**
 * At most 5 log-in attempts a minute for one email from one address: plenty for a person who
 * mistypes, far too few for a program guessing passwords. Every attempt counts, right or wrong.
 * The count runs in preHandler, after the body is checked and its email normalised, so
 * "Ann@X.org" and "ann@x.org" share one count.
 */
export const loginRateLimit: RateLimitOptions = {
  max: 5,
  timeWindow: '1 minute',
  hook: 'preHandler',
  keyGenerator: (request) => `${request.ip}|${(request.body as { email: string }).email}`,
  // Thrown, so the error handler sends it in the one error shape. The plugin has already set
  // the Retry-After header: how many seconds to wait.
  errorResponseBuilder: (_request, context) =>
    new HttpError(
      429,
      'TOO_MANY_REQUESTS',
      `Too many login attempts for this email. Try again in ${context.after}.`,
    ),
}
