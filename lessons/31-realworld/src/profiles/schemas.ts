import { type Static, Type } from 'typebox'
import { TextOrNull } from '../users/schemas.js'

/** The spec's Profile: what anybody may see of a user, and whether the reader follows them. */
export const ProfileSchema = Type.Object({
  username: Type.String(),
  bio: TextOrNull,
  image: TextOrNull,
  following: Type.Boolean(),
})

/** /api/profiles/:username: the name as it is in the URL (Fastify decodes %20 and the like). */
export const ProfileParamsSchema = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
})

const ProfileResponseSchema = Type.Object({ profile: ProfileSchema })

export const getProfile = { params: ProfileParamsSchema, response: { 200: ProfileResponseSchema } }
export const followProfile = getProfile
export const unfollowProfile = getProfile

export type Profile = Static<typeof ProfileSchema>
