import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Auth, readerId } from '../auth/authenticate.js'
import { followProfile, getProfile, unfollowProfile } from './schemas.js'
import type { ProfileStore } from './store.js'

/** GET /api/profiles/:username (anybody), POST and DELETE …/follow (signed in). */
export const profileRoutes: FastifyPluginAsyncTypebox<{
  profiles: ProfileStore
  auth: Auth
}> = async (app, { profiles, auth }) => {
  app.get(
    '/profiles/:username',
    { schema: getProfile, onRequest: auth.optional },
    async (request) => ({
      profile: await profiles.get(request.params.username, readerId(request)),
    }),
  )

  // The official suite sends a body here that nobody asked for: no body schema, so it is ignored.
  app.post(
    '/profiles/:username/follow',
    { schema: followProfile, onRequest: auth.required },
    async (request) => ({
      profile: await profiles.follow(request.user.id, request.params.username),
    }),
  )

  app.delete(
    '/profiles/:username/follow',
    { schema: unfollowProfile, onRequest: auth.required },
    async (request) => ({
      profile: await profiles.unfollow(request.user.id, request.params.username),
    }),
  )
}
