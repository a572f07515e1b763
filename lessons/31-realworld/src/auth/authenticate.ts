import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../error-handler.js'
import type { User } from '../users/schemas.js'
import type { UserStore } from '../users/store.js'

/** Tell TypeScript what our tokens hold, and what `request.user` is once a request is let in. */
declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string }
    user: User
  }
}

/** A 401 in the spec's words, `{"errors":{"token":["is missing"]}}`, naming the scheme. */
function refusal(reply: FastifyReply, message: string): HttpError {
  reply.header('www-authenticate', 'Token') // HTTP: a 401 names the credentials that would do
  return new HttpError(401, 'token', message)
}

/** Our tokens name a user by id, such as "42": any other `sub` was not made by this app. */
const isUserId = (sub: unknown): sub is string =>
  typeof sub === 'string' && /^[1-9]\d{0,9}$/.test(sub) && Number(sub) <= 2_147_483_647

/**
 * An onRequest hook (it runs before the body is read, so a 401 comes before any 404 or 422)
 * for the routes that need a signed-in user. The spec's header is `Authorization: Token <jwt>`
 * (lessons 15-20 said Bearer): a token signed by us (HS256), not expired by the app's clock,
 * naming a user who still exists.
 */
export function authenticate(users: UserStore, now: () => number) {
  return async function checkToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization
    if (header === undefined) throw refusal(reply, 'is missing')
    const token = /^Token (\S+)$/.exec(header)?.[1]
    if (!token) throw refusal(reply, 'must be sent as "Authorization: Token <token>"')
    const options = {
      clockTimestamp: now(),
      requiredClaims: ['sub', 'exp'],
      extractToken: () => token,
    }
    const { sub } = await request.jwtVerify<{ sub: unknown }>(options).catch((error) => {
      const code = String(error.code)
      if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') throw refusal(reply, 'has expired')
      // A bad signature, no signature (alg "none"), a missing claim, not a JWT at all.
      if (/^(FST|FAST)_JWT_/.test(code)) throw refusal(reply, 'is invalid')
      throw error
    })
    const user = isUserId(sub) ? await users.findById(Number(sub)) : undefined
    if (!user) throw refusal(reply, 'is invalid')
    request.user = user
  }
}

/**
 * For routes anybody may read, which say more to a signed-in reader (`following`, `favorited`).
 * No Authorization header: a visitor. A header with a bad token: 401, as on any route, rather
 * than quietly treating a signed-in user as a stranger.
 */
export function identify(users: UserStore, now: () => number) {
  const check = authenticate(users, now)
  return async function identifyReader(request: FastifyRequest, reply: FastifyReply) {
    if (request.headers.authorization !== undefined) await check(request, reply)
  }
}

/** The signed-in reader's id on a route behind `identify`, or null for a visitor. */
export function readerId(request: FastifyRequest): number | null {
  // `request.user` is null until a token has been checked (@fastify/jwt starts it so).
  return (request.user as User | null)?.id ?? null
}

/** Both hooks, as the routes use them: `onRequest: auth.required` or `auth.optional`. */
export interface Auth {
  required: ReturnType<typeof authenticate>
  optional: ReturnType<typeof identify>
}
