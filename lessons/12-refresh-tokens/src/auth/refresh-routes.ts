import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { httpErrors } from '@kitchen/core'
import { ACCESS_TOKEN_SECONDS } from '../users/routes.js'
import { TokenSchema } from '../users/schemas.js'
import { clearRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie.js'
import type { RefreshResult, RefreshTokenStore } from './refresh-tokens.js'

interface RefreshRoutesOptions {
  store: RefreshTokenStore
  /** The clock, in milliseconds, that dates the tokens. */
  now: () => number
  /** Send the cookie over HTTPS only (in production). */
  secureCookies: boolean
}

type Failure = Extract<RefreshResult, { ok: false }>['reason']

/** Every way a refresh can fail is a 401 with a code of its own; each says "log in again". */
const FAILURES: Record<Failure, [code: string, message: string]> = {
  unknown: ['INVALID_REFRESH_TOKEN', 'The refresh token is not valid: log in again.'],
  expired: ['REFRESH_TOKEN_EXPIRED', 'The refresh token has expired: log in again.'],
  revoked: ['REFRESH_TOKEN_REVOKED', 'The refresh token was revoked: log in again.'],
  reused: [
    'REFRESH_TOKEN_REUSED',
    'This refresh token was used before, so it may have been copied: every session of that log-in is ended. Log in again.',
  ],
}

/**
 * POST /auth/refresh: trade the refresh token cookie for a new access token (and a new cookie).
 * POST /auth/logout: end the session. Both read only the cookie: no body, no access token
 * (which may well have expired by then).
 */
export const refreshRoutes: FastifyPluginAsyncTypebox<RefreshRoutesOptions> = async (
  app,
  { store, now, secureCookies },
) => {
  app.post(
    '/auth/refresh',
    { schema: { response: { 200: TokenSchema } } },
    async (request, reply) => {
      const token = request.cookies[REFRESH_COOKIE]
      if (!token) {
        throw httpErrors.unauthorized(
          'There is no refresh token cookie: log in.',
          'MISSING_REFRESH_TOKEN',
        )
      }
      const result = await store.use(token)
      if (!result.ok) {
        // Worth a warning: somebody may be using a stolen token.
        if (result.reason === 'reused') request.log.warn('refresh token reused: family revoked')
        const [code, message] = FAILURES[result.reason]
        throw httpErrors.unauthorized(message, code)
      }
      setRefreshCookie(reply, result.token, secureCookies)
      const accessToken = await reply.jwtSign(
        { sub: String(result.userId) },
        { sign: { clockTimestamp: now() } },
      )
      request.log.info({ userId: result.userId }, 'tokens refreshed')
      reply.header('cache-control', 'no-store')
      return { accessToken, tokenType: 'Bearer' as const, expiresIn: ACCESS_TOKEN_SECONDS }
    },
  )

  app.post('/auth/logout', async (request, reply) => {
    const token = request.cookies[REFRESH_COOKIE]
    // No cookie, or one we do not know: the caller is logged out already. Still 204.
    if (token) await store.revoke(token)
    clearRefreshCookie(reply, secureCookies)
    return reply.code(204).send()
  })
}
