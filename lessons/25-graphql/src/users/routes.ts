import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { UserSchema } from './schemas.js'

/** GET /me: the signed-in user. Registered behind `authenticate`, which sets request.user. */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', { schema: { response: { 200: UserSchema } } }, async (request) => request.user)
}
