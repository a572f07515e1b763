import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import type { Auth } from '../auth/authenticate.js'
import { signToken } from '../auth/tokens.js'
import { HttpError } from '../error-handler.js'
import { normaliseEmail } from './email.js'
import { hashPassword, verifyPassword } from './password.js'
import { getCurrentUser, login, registerUser, type User, updateUser } from './schemas.js'
import type { UserStore } from './store.js'

/**
 * POST /api/users (register), POST /api/users/login, GET and PUT /api/user (the signed-in
 * user). Every answer is the spec's User: the account and a fresh token.
 */
export const userRoutes: FastifyPluginAsyncTypebox<{
  users: UserStore
  auth: Auth
  now: () => number
  passwordCost?: number
}> = async (app, { users, auth, now, passwordCost }) => {
  async function withToken(reply: FastifyReply, { email, username, bio, image, id }: User) {
    return { user: { email, token: await signToken(reply, id, now), username, bio, image } }
  }

  app.post(
    '/users',
    { schema: registerUser, preValidation: normaliseEmail },
    async (request, reply) => {
      const { username, email, password } = request.body.user
      // No "is this name taken?" query first: the UNIQUE constraints decide (409), atomically.
      const user = await users.create(username, email, await hashPassword(password, passwordCost))
      request.log.info({ userId: user.id }, 'user registered')
      return reply.code(201).send(await withToken(reply, user))
    },
  )

  // Checked when the email is unknown, so that a wrong email takes as long as a wrong password:
  // the time an answer takes must not tell a stranger which emails have accounts.
  const dummyHash = await hashPassword(randomUUID(), passwordCost)

  app.post(
    '/users/login',
    { schema: login, preValidation: normaliseEmail },
    async (request, reply) => {
      const { email, password } = request.body.user
      const user = await users.findByEmail(email)
      const passwordIsRight = await verifyPassword(password, user?.passwordHash ?? dummyHash)
      // One answer for both mistakes: never say which emails have an account.
      if (!user || !passwordIsRight) throw new HttpError(401, 'email or password', 'is invalid')
      return withToken(reply, user)
    },
  )

  app.get('/user', { schema: getCurrentUser, onRequest: auth.required }, async (request, reply) =>
    withToken(reply, request.user),
  )

  app.put(
    '/user',
    { schema: updateUser, onRequest: auth.required, preValidation: normaliseEmail },
    async (request, reply) => {
      // Only the fields we know: anything else a client sends is not a column to write.
      const { username, email, password, bio, image } = request.body.user
      const passwordHash =
        password === undefined ? undefined : await hashPassword(password, passwordCost)
      const changes = { username, email, bio, image, passwordHash }
      return withToken(reply, await users.update(request.user.id, changes))
    },
  )
}
