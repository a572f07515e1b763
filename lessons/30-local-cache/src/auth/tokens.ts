import { randomUUID } from 'node:crypto'
import type { FastifyReply } from 'fastify'

/** An access token is good for 15 minutes: a stolen one is not useful for long. */
export const ACCESS_TOKEN_SECONDS = 15 * 60

/** A JWT saying who this is (`sub`), signed with our secret, dated by the app's clock. */
export async function accessToken(reply: FastifyReply, userId: number, now: () => number) {
  // `jti`: the token's own id, for log-out to put this one token on the deny-list.
  const claims = { sub: String(userId), jti: randomUUID() }
  const token = await reply.jwtSign(claims, { sign: { clockTimestamp: now() } })
  reply.header('cache-control', 'no-store') // a token is a key: nobody should keep a copy
  return { accessToken: token, tokenType: 'Bearer' as const, expiresIn: ACCESS_TOKEN_SECONDS }
}
