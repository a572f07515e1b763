import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getArticle } from '../articles/schemas.js'
import type { ArticleStore } from '../articles/store.js'
import type { Auth } from '../auth/authenticate.js'
import type { FavoriteStore } from './store.js'

/** POST and DELETE /api/articles/:slug/favorite (signed in): the article, as its fan sees it. */
export const favoriteRoutes: FastifyPluginAsyncTypebox<{
  favorites: FavoriteStore
  articles: ArticleStore
  auth: Auth
}> = async (app, { favorites, articles, auth }) => {
  // The official suite sends `Content-Type: application/json` and no body: see json-body.ts.
  app.post(
    '/articles/:slug/favorite',
    { schema: getArticle, onRequest: auth.required },
    async (request) => {
      await favorites.add(request.user.id, request.params.slug)
      return { article: await articles.get(request.params.slug, request.user.id) }
    },
  )

  app.delete(
    '/articles/:slug/favorite',
    { schema: getArticle, onRequest: auth.required },
    async (request) => {
      await favorites.remove(request.user.id, request.params.slug)
      return { article: await articles.get(request.params.slug, request.user.id) }
    },
  )
}
