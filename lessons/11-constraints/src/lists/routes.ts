import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createList, listLists } from './schemas.js'
import type { ListStore } from './store.js'

/** GET /lists and POST /lists, like the to-do routes. */
export const listRoutes: FastifyPluginAsyncTypebox<{ store: ListStore }> = async (
  app,
  { store },
) => {
  app.get('/lists', { schema: listLists }, async () => {
    return store.list()
  })

  app.post('/lists', { schema: createList }, async (request, reply) => {
    const list = await store.create(request.body.name)
    return reply.code(201).header('location', `/lists/${list.id}`).send(list)
  })
}
