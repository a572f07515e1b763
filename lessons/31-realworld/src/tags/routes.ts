import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { TagStore } from './store.js'

const listTags = { response: { 200: Type.Object({ tags: Type.Array(Type.String()) }) } }

/** GET /api/tags (anybody): `{ "tags": ["dragons", "training"] }`. */
export const tagRoutes: FastifyPluginAsyncTypebox<{ tags: TagStore }> = async (app, { tags }) => {
  app.get('/tags', { schema: listTags }, async () => ({ tags: await tags.list() }))
}
