import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { httpErrors } from '@kitchen/core'
import { loginRateLimit } from '../auth/login-limit.js'
import { normaliseEmailInBody } from './email.js'
import { hashPassword, verifyPassword } from './password.js'
import { LoginSchema, SignupSchema, TokenSchema, UserSchema } from './schemas.js'
import type { UserStore } from './store.js'

/** An access token is good for 15 minutes: a stolen one is not useful for long. */
export const ACCESS_TOKEN_SECONDS = 15 * 60

/**
 * The hash of a password nobody knows. When the email is unknown we still check the password
 * against it, so a wrong email takes as long as a wrong password: the time an answer takes
 * does not tell a stranger which emails have accounts.
 */
const DUMMY_HASH =
  'scrypt$32768$8$1$DnAQqWxd8GetJ07QW4MtqQ==$zkSuDT57FAtm0qXv4rB9REHIB3DPxXL8c9wLNw6IFan1r0nMEBRhbqB6omKKsGZUNxis3t47nzXnBKhCyD8p6g=='

interface AuthRoutesOptions {
  store: UserStore
  /** The clock, in milliseconds, that dates the tokens. */
  now: () => number
}

/** POST /auth/signup: make an account. POST /auth/login: trade email and password for a token. */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (
  app,
  { store, now },
) => {
  app.post(
    '/auth/signup',
    {
      schema: { body: SignupSchema, response: { 201: UserSchema } },
      preValidation: normaliseEmailInBody,
    },
    async (request, reply) => {
      const { email, password } = request.body
      const passwordHash = await hashPassword(password)
      // A taken email fails here, on the UNIQUE constraint: 409 ALREADY_EXISTS.
      const user = await store.create(email, passwordHash)
      request.log.info({ userId: user.id }, 'user signed up')
      return reply.code(201).send(user)
    },
  )

  app.post(
    '/auth/login',
    {
      schema: { body: LoginSchema, response: { 200: TokenSchema } },
      preValidation: normaliseEmailInBody,
      config: { rateLimit: loginRateLimit },
    },
    async (request, reply) => {
      const { email, password } = request.body
      const user = await store.findByEmail(email)
      const passwordIsRight = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
      if (!user || !passwordIsRight) {
        // One answer for both mistakes: never say which emails have an account.
        throw httpErrors.unauthorized('Email or password is wrong.', 'INVALID_CREDENTIALS')
      }
      // The token says who this is (`sub`, the subject) and, signed with our secret, cannot
      // be changed without us noticing. `clockTimestamp` is "now", for its `iat` and `exp`.
      const accessToken = await reply.jwtSign(
        { sub: String(user.id) },
        { sign: { clockTimestamp: now() } },
      )
      request.log.info({ userId: user.id }, 'user logged in')
      // A token is a key: no browser or proxy should keep a copy of this answer.
      reply.header('cache-control', 'no-store')
      return { accessToken, tokenType: 'Bearer' as const, expiresIn: ACCESS_TOKEN_SECONDS }
    },
  )
}

/** GET /me: the signed-in user. Registered behind `authenticate`, which sets request.user. */
export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', { schema: { response: { 200: UserSchema } } }, async (request) => {
    return request.user
  })
}
