import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateListSchema, ListSchema } from './schemas.js'
import type { ListStore } from './store.js'

/** GET /lists and POST /lists, like the to-do routes. */
export const listRoutes: FastifyPluginAsyncTypebox<{ store: ListStore }> = async (
  app,
  { store },
) => {
  app.get('/lists', { schema: { response: { 200: Type.Array(ListSchema) } } }, async () => {
    return store.list()
  })

  app.post(
    '/lists',
    { schema: { body: CreateListSchema, response: { 201: ListSchema } } },
    async (request, reply) => {
      const list = await store.create(request.body.name)
      return reply.code(201).header('location', `/lists/${list.id}`).send(list)
    },
  )
}
