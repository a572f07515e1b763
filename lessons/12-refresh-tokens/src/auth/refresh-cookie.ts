import type { CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyReply } from 'fastify'
import { REFRESH_TOKEN_SECONDS } from './refresh-tokens.js'

/** The cookie that carries the refresh token. */
export const REFRESH_COOKIE = 'refresh_token'

/**
 * Where the browser keeps the refresh token, and when it sends it:
 * - httpOnly: page scripts cannot read it, so a script injected into the page (XSS) cannot
 *   steal it. (The 15-minute access token is the one the front end holds.)
 * - SameSite=Strict: the browser sends it only with requests made by our own site, never
 *   when another site's page posts to /auth/refresh or /auth/logout (a CSRF attack).
 * - Path=/auth: it is sent to /auth/refresh and /auth/logout only, not with every /todos call.
 * - Max-Age: 30 days, as long as the token itself.
 * - Secure (in production): only ever sent over HTTPS. Left out in development, so that
 *   http://127.0.0.1 works.
 */
export function refreshCookieOptions(secure: boolean): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/auth',
    maxAge: REFRESH_TOKEN_SECONDS,
    secure,
  }
}

export function setRefreshCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(REFRESH_COOKIE, token, refreshCookieOptions(secure))
}

/** Tell the browser to forget the cookie: the same name and path, expired long ago. */
export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  const { maxAge: _maxAge, ...options } = refreshCookieOptions(secure)
  reply.clearCookie(REFRESH_COOKIE, options)
}
