import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Cache } from '../cache.js'
import { errorReply, noContent } from '../docs.js'
import { HttpError } from '../error-handler.js'
import type { LocalCache } from '../local-cache.js'
import { checkOrigin } from '../security.js'
import { normaliseEmail } from '../users/email.js'
import { hashPassword, verifyPassword } from '../users/password.js'
import { LoginSchema, SignupSchema, TokenSchema, UserSchema } from '../users/schemas.js'
import type { UserStore } from '../users/store.js'
import { hashingQueue, LoginAttempts, signupRateLimit } from './login-limit.js'
import { REFRESH_TOKEN_SECONDS, type RefreshTokenStore } from './refresh-tokens.js'
import { accessToken } from './tokens.js'

// The routes' schemas, with their own error answers, for the checks and for /docs.
const tooMany = errorReply('Too many attempts (TOO_MANY_REQUESTS): wait Retry-After seconds.')
const signup = {
  body: SignupSchema,
  response: { 201: UserSchema, 409: errorReply('Email taken (ALREADY_EXISTS).'), 429: tooMany },
}
const wrong = errorReply('Email or password is wrong (INVALID_CREDENTIALS).')
const login = { body: LoginSchema, response: { 200: TokenSchema, 401: wrong, 429: tooMany } }
const security = [{ refreshCookie: [] }] // the refresh token's cookie, not an access token
const refreshFails = errorReply('INVALID_REFRESH_TOKEN, or REFRESH_TOKEN_EXPIRED/REVOKED/REUSED.')
const otherSite = errorReply('Sent by a page of a site that is not allowed (ORIGIN_NOT_ALLOWED).')
const refresh = { security, response: { 200: TokenSchema, 401: refreshFails, 403: otherSite } }
const logout = { security, response: { 204: noContent, 403: otherSite } }

/** POST /auth/signup makes an account; POST /auth/login trades email and password for a token. */
export const authRoutes: FastifyPluginAsyncTypebox<{
  users: UserStore
  passwordCost?: number
  now: () => number
  signupsPerMinute: number
  refreshTokens: RefreshTokenStore
  secureCookies: boolean
  corsOrigins: string[]
  cache: Cache
  memory: LocalCache
}> = async (app, options) => {
  const { users, passwordCost, now, signupsPerMinute, refreshTokens, secureCookies } = options
  const attempts = new LoginAttempts(now, options.cache)
  const hashing = hashingQueue()

  // The refresh token's cookie. httpOnly: page scripts cannot read it, nor steal it (XSS).
  // SameSite=Strict: never sent with a request another site starts (CSRF). Path=/auth: not
  // sent with every /todos call. Secure (in production): sent over HTTPS only.
  const cookie = {
    httpOnly: true,
    sameSite: 'strict',
    path: '/auth',
    secure: secureCookies,
    maxAge: REFRESH_TOKEN_SECONDS,
  } as const

  app.post(
    '/auth/signup',
    {
      schema: signup,
      preValidation: normaliseEmail,
      config: { rateLimit: signupRateLimit(signupsPerMinute) },
    },
    async (request, reply) => {
      const { email, password } = request.body
      // No "is this email taken?" query first: the UNIQUE constraint decides (409), atomically.
      const hash = await hashing(reply, () => hashPassword(password, passwordCost))
      const user = await users.create(email, hash)
      request.log.info({ userId: user.id }, 'user signed up')
      return reply.code(201).send(user)
    },
  )

  // Checked when the email is unknown, so that a wrong email takes as long as a wrong password:
  // the time an answer takes must not tell a stranger which emails have accounts.
  const dummyHash = await hashPassword(randomUUID(), passwordCost)

  app.post(
    '/auth/login',
    {
      schema: login,
      preValidation: normaliseEmail,
    },
    async (request, reply) => {
      const { email, password } = request.body
      await attempts.start(request.ip, email, reply)
      const user = await users.findByEmail(email)
      const stored = user?.passwordHash ?? dummyHash
      const passwordIsRight = await hashing(reply, () => verifyPassword(password, stored))
      if (!user || !passwordIsRight) {
        // One answer for both mistakes: never say which emails have an account.
        throw new HttpError(401, 'INVALID_CREDENTIALS', 'Email or password is wrong.')
      }
      await attempts.succeeded(request.ip, email)
      reply.setCookie('refresh_token', await refreshTokens.create(user.id), cookie)
      request.log.info({ userId: user.id }, 'user logged in')
      return accessToken(reply, user.id, now)
    },
  )

  // POST /auth/refresh: the cookie (no password; the access token has often expired) for new ones.
  app.post(
    '/auth/refresh',
    { schema: refresh, onRequest: checkOrigin(options.corsOrigins) },
    async (request, reply) => {
      const next = await refreshTokens.use(request.cookies.refresh_token ?? '').catch((error) => {
        // Worth a warning in the log: somebody may be using a stolen token.
        if (error.code === 'REFRESH_TOKEN_REUSED') request.log.warn('refresh token reused')
        throw error
      })
      reply.setCookie('refresh_token', next.token, cookie)
      request.log.info({ userId: next.userId }, 'tokens refreshed')
      return accessToken(reply, next.userId, now)
    },
  )

  // POST /auth/logout: revoke the cookie's family, and tell the browser to forget the cookie.
  // No cookie, or one we do not know: the caller is logged out already, so 204 all the same.
  app.post(
    '/auth/logout',
    { schema: logout, onRequest: checkOrigin(options.corsOrigins) },
    async (request, reply) => {
      const token = request.cookies.refresh_token
      if (token) await refreshTokens.revoke(token)
      // The access token, if it came too: on the deny-list (Redis) until it would expire anyway.
      const access = await request
        .jwtVerify<{ jti?: string; exp: number }>({ clockTimestamp: now() })
        .catch(() => undefined) // none, or not valid: nothing to deny
      const seconds = (access?.exp ?? 0) - Math.floor(now() / 1000) // at least 1: it is valid
      if (access?.jti) {
        await options.cache.run((redis) => redis.set(`denied:${access.jti}`, 1, 'EX', seconds))
        await options.memory.forgetEverywhere(`token:${access.jti}`) // and every copy's memory
      }
      return reply.clearCookie('refresh_token', cookie).code(204).send()
    },
  )
}
