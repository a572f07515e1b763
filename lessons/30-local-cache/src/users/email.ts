import type { FastifyRequest } from 'fastify'

/** " Ann@X.org " is ann@x.org: one inbox, one account. Runs before the schema checks the body. */
export async function normaliseEmail(request: FastifyRequest): Promise<void> {
  const body = request.body as { email?: unknown } | null
  if (typeof body?.email === 'string') body.email = body.email.trim().toLowerCase()
}
