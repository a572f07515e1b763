import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { noContent } from '../docs.js'
import { UserSchema } from './schemas.js'
import type { UserStore } from './store.js'

/** GET /me: the signed-in user. Registered behind `authenticate`, which sets request.user. */
export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserStore }> = async (app, options) => {
  app.get('/me', { schema: { response: { 200: UserSchema } } }, async (request) => request.user)

  // DELETE /me: delete the account, and everything in it. Its tokens stop working at once.
  app.delete('/me', { schema: { response: { 204: noContent } } }, async (request, reply) => {
    await options.users.delete(request.user.id)
    request.log.info({ userId: request.user.id }, 'user deleted')
    return reply.code(204).send()
  })
}
