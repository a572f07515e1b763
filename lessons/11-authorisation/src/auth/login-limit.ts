import type { RateLimitOptions } from '@fastify/rate-limit'
import { httpErrors } from '@kitchen/core'

/**
 * At most 5 login attempts a minute for one email from one address: plenty for a person who
 * mistypes, far too few for a program guessing passwords. Every attempt counts, right or wrong.
 * The count runs in preHandler, after the body is checked and the email normalised, so
 * "Ann@X.org" and "ann@x.org" share one count.
 */
export const loginRateLimit: RateLimitOptions = {
  max: 5,
  timeWindow: '1 minute',
  hook: 'preHandler',
  keyGenerator: (request) => `${request.ip}|${(request.body as { email: string }).email}`,
  // Thrown, so it goes through our error handler and leaves in the one error shape.
  // The plugin has already set the Retry-After header (in seconds).
  errorResponseBuilder: (_request, context) =>
    httpErrors.tooManyRequests(
      `Too many login attempts for this email. Try again in ${context.after}.`,
    ),
}
