import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { normaliseEmail } from '../users/email.js'
import { hashPassword } from '../users/password.js'
import { SignupSchema, UserSchema } from '../users/schemas.js'
import type { UserStore } from '../users/store.js'

/** POST /auth/signup: make an account, hashing at the app's cost (AppOptions.passwordCost). */
export const authRoutes: FastifyPluginAsyncTypebox<{
  users: UserStore
  passwordCost?: number
}> = async (app, { users, passwordCost }) => {
  app.post(
    '/auth/signup',
    {
      schema: { body: SignupSchema, response: { 201: UserSchema } },
      preValidation: normaliseEmail,
    },
    async (request, reply) => {
      const { email, password } = request.body
      // No "is this email taken?" query first: the UNIQUE constraint decides (409), atomically.
      const user = await users.create(email, await hashPassword(password, passwordCost))
      request.log.info({ userId: user.id }, 'user signed up')
      return reply.code(201).send(user)
    },
  )
}
