import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { normaliseEmailInBody } from './email.js'
import { hashPassword } from './password.js'
import { SignupSchema, UserSchema } from './schemas.js'
import type { UserStore } from './store.js'

/** POST /auth/signup: make an account. */
export const authRoutes: FastifyPluginAsyncTypebox<{ store: UserStore }> = async (
  app,
  { store },
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
}
