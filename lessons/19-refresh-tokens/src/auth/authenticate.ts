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

const invalid = () => new HttpError(401, 'INVALID_TOKEN', 'The token is not valid: log in again.')
const howToSend = 'Send the token as "Authorization: Bearer <token>".'

/** @fastify/jwt's errors (FST_JWT_…) become codes a front end can act on: all of them 401s. */
function tokenError(error: unknown, request: FastifyRequest): HttpError {
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
  // A bad signature, no signature (alg "none"), another algorithm, or not a JWT at all.
  if (typeof code === 'string' && /^(FST|FAST)_JWT_/.test(code)) return invalid()
  throw error // not a token problem but a bug: the error handler answers 500
}

/**
 * An onRequest hook for the routes that need a signed-in user. It checks the token (signature,
 * HS256, not expired by the app's clock), then loads the user it names: a user deleted since
 * the token was made is let in no longer. onRequest runs before the body is even read.
 */
export function authenticate(users: UserStore, now: () => number) {
  return async function checkToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    let payload: { sub: string }
    try {
      payload = await request.jwtVerify({ clockTimestamp: now() })
    } catch (error) {
      // HTTP asks every 401 to name the kind of credentials that would do: a bearer token.
      reply.header('www-authenticate', 'Bearer')
      throw tokenError(error, request)
    }
    const user = await users.findById(Number(payload.sub))
    if (!user) {
      reply.header('www-authenticate', 'Bearer')
      throw invalid()
    }
    request.user = user
  }
}
