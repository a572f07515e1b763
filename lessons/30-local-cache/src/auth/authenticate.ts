import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Cache } from '../cache.js'
import { HttpError } from '../error-handler.js'
import type { LocalCache } from '../local-cache.js'
import type { User } from '../users/schemas.js'
import type { UserStore } from '../users/store.js'

/** Tell TypeScript what our tokens hold, and what `request.user` is once a request is let in. */
declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; jti: string }
    user: User
  }
}

const invalid = () => new HttpError(401, 'INVALID_TOKEN', 'The token is not valid: log in again.')
const revoked = () =>
  new HttpError(401, 'TOKEN_REVOKED', 'This token was logged out: log in again.')
const howToSend = 'Send the token as "Authorization: Bearer <token>".'

/** A token problem becomes a 401 (with a code a front end can act on) asking for a token. */
function refusal(error: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
  reply.header('www-authenticate', 'Bearer') // HTTP: a 401 names the credentials that would do
  const code = (error as { code?: unknown }).code
  if (code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER' && !request.headers.authorization) {
    return new HttpError(401, 'MISSING_TOKEN', `Log in first. ${howToSend}`)
  }
  // No "Bearer " at the start, or more than one word after it.
  if (code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER' || code === 'FST_JWT_BAD_REQUEST') {
    return new HttpError(401, 'MALFORMED_TOKEN', howToSend)
  }
  if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') {
    return new HttpError(401, 'TOKEN_EXPIRED', 'The token has expired: log in again.')
  }
  // A bad signature, no signature (alg "none"), another algorithm, a missing claim, not a JWT.
  return typeof code === 'string' && /^(FST|FAST)_JWT_/.test(code) ? invalid() : error
}

/** What a token we signed holds; checked below, as anything may come in a token. */
type Claims = { sub: unknown; jti?: unknown; exp: number }

/** Our tokens name a user by id, such as "42": any other `sub` was not made by this app. */
const isUserId = (sub: unknown): sub is string =>
  typeof sub === 'string' && /^[1-9]\d{0,9}$/.test(sub) && Number(sub) <= 2_147_483_647

/**
 * An onRequest hook (it runs before the body is read) for the routes that need a signed-in user:
 * a token signed by us (HS256), not expired by the app's clock, not logged out, naming a user
 * who still exists.
 */
export function authenticate(
  users: UserStore,
  cache: Cache,
  memory: LocalCache,
  now: () => number,
) {
  return async function checkToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // This very token passed every check a moment ago, here: memory answers (local-cache.ts).
    const header = request.headers.authorization
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined
    const known = token && memory.get(token)
    if (known) {
      request.user = known.user
      return
    }
    const version = memory.version // before asking: a "forget" heard meanwhile makes it stale
    const options = { clockTimestamp: now(), requiredClaims: ['sub', 'exp'] }
    const { sub, jti, exp } = await request.jwtVerify<Claims>(options).catch((error) => {
      throw refusal(error, request, reply)
    })
    // Both questions at once: Redis gets them in one round trip (auto-pipelining, cache.ts).
    const [denied, user] = await Promise.all([
      // Logged out: its id is on the deny-list. Redis down: we cannot tell, so in it goes (README).
      typeof jti === 'string' ? cache.run((redis) => redis.exists(`denied:${jti}`)) : undefined,
      isUserId(sub) ? users.findById(Number(sub)) : undefined,
    ])
    if (denied) throw refusal(revoked(), request, reply)
    if (!user) throw refusal(invalid(), request, reply)
    request.user = user
    // Redis answered (0: not denied), so it can tell us to forget: remember, for the next request.
    if (token && denied === 0) memory.set(token, { user, jti: String(jti), exp }, version)
  }
}
