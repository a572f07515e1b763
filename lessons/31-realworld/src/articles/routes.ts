import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Auth, readerId } from '../auth/authenticate.js'
import {
  createArticle,
  deleteArticle,
  feedArticles,
  getArticle,
  listArticles,
  updateArticle,
} from './schemas.js'
import type { ArticleStore } from './store.js'

/**
 * GET /api/articles and GET /api/articles/:slug (anybody), GET /api/articles/feed, and POST,
 * PUT and DELETE (signed in; changes only by the article's author).
 */
export const articleRoutes: FastifyPluginAsyncTypebox<{
  articles: ArticleStore
  auth: Auth
}> = async (app, { articles, auth }) => {
  app.get('/articles', { schema: listArticles, onRequest: auth.optional }, async (request) => {
    const { limit, offset, ...filters } = request.query
    return articles.list(filters, { limit, offset }, readerId(request))
  })

  // A route of its own, so Fastify matches it before /articles/:slug (see slug.ts).
  app.get('/articles/feed', { schema: feedArticles, onRequest: auth.required }, async (request) =>
    articles.list({ followedBy: request.user.id }, request.query, request.user.id),
  )

  app.get('/articles/:slug', { schema: getArticle, onRequest: auth.optional }, async (request) => ({
    article: await articles.get(request.params.slug, readerId(request)),
  }))

  app.post(
    '/articles',
    { schema: createArticle, onRequest: auth.required },
    async (request, reply) => {
      const article = await articles.create(request.user.id, request.body.article)
      return reply.code(201).send({ article })
    },
  )

  app.put(
    '/articles/:slug',
    { schema: updateArticle, onRequest: auth.required },
    async (request) => ({
      article: await articles.update(request.params.slug, request.user.id, request.body.article),
    }),
  )

  app.delete(
    '/articles/:slug',
    { schema: deleteArticle, onRequest: auth.required },
    async (request, reply) => {
      await articles.delete(request.params.slug, request.user.id)
      return reply.code(204).send()
    },
  )
}
