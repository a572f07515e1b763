import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Auth, readerId } from '../auth/authenticate.js'
import { createComment, deleteComment, listComments } from './schemas.js'
import type { CommentStore } from './store.js'

/** GET /api/articles/:slug/comments (anybody), POST and DELETE …/comments/:id (signed in). */
export const commentRoutes: FastifyPluginAsyncTypebox<{
  comments: CommentStore
  auth: Auth
}> = async (app, { comments, auth }) => {
  app.get(
    '/articles/:slug/comments',
    { schema: listComments, onRequest: auth.optional },
    async (request) => ({ comments: await comments.list(request.params.slug, readerId(request)) }),
  )

  app.post(
    '/articles/:slug/comments',
    { schema: createComment, onRequest: auth.required },
    async (request, reply) => {
      const { slug } = request.params
      const comment = await comments.create(slug, request.user.id, request.body.comment.body)
      return reply.code(201).send({ comment })
    },
  )

  app.delete(
    '/articles/:slug/comments/:id',
    { schema: deleteComment, onRequest: auth.required },
    async (request, reply) => {
      await comments.delete(request.params.slug, request.params.id, request.user.id)
      return reply.code(204).send()
    },
  )
}
