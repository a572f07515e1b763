import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { httpErrors } from '@kitchen/core'
import { Type } from 'typebox'
import { CreateListSchema, ListParamsSchema, ListSchema } from './schemas.js'
import type { ListStore } from './store.js'

/** GET /lists, POST /lists and DELETE /lists/:id: the signed-in user's lists only. */
export const listRoutes: FastifyPluginAsyncTypebox<{ store: ListStore }> = async (
  app,
  { store },
) => {
  app.get('/lists', { schema: { response: { 200: Type.Array(ListSchema) } } }, async (request) => {
    return store.list(request.user.id)
  })

  app.post(
    '/lists',
    { schema: { body: CreateListSchema, response: { 201: ListSchema } } },
    async (request, reply) => {
      const list = await store.create(request.user.id, request.body.name)
      return reply.code(201).header('location', `/lists/${list.id}`).send(list)
    },
  )

  app.delete('/lists/:id', { schema: { params: ListParamsSchema } }, async (request, reply) => {
    if (!(await store.delete(request.user.id, request.params.id))) {
      throw httpErrors.notFound(`There is no list with id ${request.params.id}.`)
    }
    return reply.code(204).send()
  })
}
