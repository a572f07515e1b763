import { type HttpError, httpErrors } from '@kitchen/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { User } from '../users/schemas.js'
import type { UserStore } from '../users/store.js'

/** Tell TypeScript what our tokens hold, and what `request.user` is once a request is let in. */
declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string }
    user: User
  }
}

/** HTTP asks every 401 to name the kind of credentials that would do: here, a bearer token. */
function refuse(reply: FastifyReply, error: HttpError): HttpError {
  reply.header('www-authenticate', 'Bearer')
  return error
}

/**
 * @fastify/jwt names its errors FST_JWT_…; we answer with codes a front end can act on.
 * Every one of them is a 401: the caller is not (or no longer) signed in.
 */
function tokenError(error: unknown, request: FastifyRequest): HttpError {
  const code = (error as { code?: unknown }).code
  switch (code) {
    // Also when the header is there but does not start with "Bearer ": say which it was.
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
      return request.headers.authorization
        ? httpErrors.unauthorized(
            'Send the token as "Authorization: Bearer <token>".',
            'MALFORMED_TOKEN',
          )
        : httpErrors.unauthorized(
            'Log in first, then send "Authorization: Bearer <token>".',
            'MISSING_TOKEN',
          )
    case 'FST_JWT_BAD_REQUEST':
      return httpErrors.unauthorized(
        'Send the token as "Authorization: Bearer <token>".',
        'MALFORMED_TOKEN',
      )
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
      return httpErrors.unauthorized('The token has expired: log in again.', 'TOKEN_EXPIRED')
  }
  // A bad signature, a token with no signature (alg "none"), another algorithm, or garbage.
  if (typeof code === 'string' && /^(FST|FAST)_JWT_/.test(code)) {
    return httpErrors.unauthorized('The token is not valid: log in again.', 'INVALID_TOKEN')
  }
  throw error // not a token problem: a bug, which the error handler answers with a 500
}

/**
 * An onRequest hook for the routes that need a signed-in user. It checks the token (its
 * signature, that it is HS256, that it has not expired by the app's clock), then loads the
 * user it names: a user deleted since the token was made is let in no longer.
 * Running on onRequest means a stranger's request is refused before its body is even read.
 */
export function authenticate(users: UserStore, now: () => number) {
  return async function checkToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    let payload: { sub: string }
    try {
      payload = await request.jwtVerify({ clockTimestamp: now() })
    } catch (error) {
      throw refuse(reply, tokenError(error, request))
    }
    const user = await users.findById(Number(payload.sub))
    if (!user) {
      throw refuse(
        reply,
        httpErrors.unauthorized('The token is not valid: log in again.', 'INVALID_TOKEN'),
      )
    }
    request.user = user
  }
}
