import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HttpError } from '../error-handler.js'
import { normaliseEmail } from '../users/email.js'
import { hashPassword, verifyPassword } from '../users/password.js'
import { LoginSchema, SignupSchema, TokenSchema, UserSchema } from '../users/schemas.js'
import type { UserStore } from '../users/store.js'
import { hashingQueue, LoginAttempts, signupRateLimit } from './login-limit.js'
import { accessToken } from './tokens.js'

/** POST /auth/signup makes an account; POST /auth/login trades email and password for a token. */
export const authRoutes: FastifyPluginAsyncTypebox<{
  users: UserStore
  passwordCost?: number
  now: () => number
  signupsPerMinute: number
}> = async (app, { users, passwordCost, now, signupsPerMinute }) => {
  const attempts = new LoginAttempts(now)
  const hashing = hashingQueue()

  app.post(
    '/auth/signup',
    {
      schema: { body: SignupSchema, response: { 201: UserSchema } },
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
      schema: { body: LoginSchema, response: { 200: TokenSchema } },
      preValidation: normaliseEmail,
    },
    async (request, reply) => {
      const { email, password } = request.body
      attempts.start(request.ip, email, reply)
      const user = await users.findByEmail(email)
      const stored = user?.passwordHash ?? dummyHash
      const passwordIsRight = await hashing(reply, () => verifyPassword(password, stored))
      if (!user || !passwordIsRight) {
        // One answer for both mistakes: never say which emails have an account.
        throw new HttpError(401, 'INVALID_CREDENTIALS', 'Email or password is wrong.')
      }
      attempts.succeeded(request.ip, email)
      request.log.info({ userId: user.id }, 'user logged in')
      return accessToken(reply, user.id, now)
    },
  )
}
