import type { FastifyRequest } from 'fastify'

/**
 * " Ann@X.org " is ann@x.org: one inbox, one account. Runs before the schema checks the body,
 * which the spec wraps: `{ "user": { "email": … } }`.
 */
export async function normaliseEmail(request: FastifyRequest): Promise<void> {
  const user = (request.body as { user?: { email?: unknown } } | null)?.user
  if (typeof user?.email === 'string') user.email = user.email.trim().toLowerCase()
}
