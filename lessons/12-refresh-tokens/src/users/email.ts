import type { FastifyRequest } from 'fastify'

/**
 * One spelling per address: "  Ann@Example.ORG " and "ann@example.org" are the same person.
 * Without this, both could sign up, and a user who typed a capital letter once could not log in.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * A preValidation hook: normalise `email` in the body before the schema checks it, so the
 * check (format, length) sees exactly what will be stored.
 */
export async function normaliseEmailInBody(request: FastifyRequest): Promise<void> {
  const body = request.body as { email?: unknown } | null
  if (typeof body === 'object' && body !== null && typeof body.email === 'string') {
    body.email = normaliseEmail(body.email)
  }
}
