import type { FastifyReply } from 'fastify'

/**
 * A token is good for a week. Lessons 15-20 gave 15 minutes and a refresh token in a cookie;
 * the spec has one token, which its front ends keep and send until it stops working.
 */
export const TOKEN_SECONDS = 7 * 24 * 60 * 60

/** A JWT saying who this is (`sub`), signed with our secret, dated by the app's clock. */
export async function signToken(
  reply: FastifyReply,
  userId: number,
  now: () => number,
): Promise<string> {
  reply.header('cache-control', 'no-store') // a token is a key: nobody should keep a copy
  return reply.jwtSign({ sub: String(userId) }, { sign: { clockTimestamp: now() } })
}
