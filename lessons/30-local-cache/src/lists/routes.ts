import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError } from '../errors.js'
import { createList, deleteList, listLists } from './schemas.js'
import type { ListStore } from './store.js'

/** GET /lists, POST /lists and DELETE /lists/:id, like the to-do routes. */
export const listRoutes: FastifyPluginAsyncTypebox<{ store: ListStore }> = async (
  app,
  { store },
) => {
  app.get('/lists', { schema: listLists }, async (request) => {
    return store.list(request.user.id)
  })

  app.post('/lists', { schema: createList }, async (request, reply) => {
    const list = await store.create(request.user.id, request.body.name)
    return reply.code(201).header('location', `/lists/${list.id}`).send(list)
  })

  app.delete('/lists/:id', { schema: deleteList }, async (request, reply) => {
    if (!(await store.delete(request.user.id, request.params.id))) {
      throw new NotFoundError(`There is no list with id ${request.params.id}.`)
    }
    return reply.code(204).send()
  })
}
