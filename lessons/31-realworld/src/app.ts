import cors from '@fastify/cors'
import fastifyJwt from '@fastify/jwt'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { sql } from 'kysely'
import { articleRoutes } from './articles/routes.js'
import { ArticleStore } from './articles/store.js'
import { type Auth, authenticate, identify } from './auth/authenticate.js'
import { TOKEN_SECONDS } from './auth/tokens.js'
import { commentRoutes } from './comments/routes.js'
import { CommentStore } from './comments/store.js'
import { createDatabase } from './db/database.js'
import { clientErrorHandler, errorHandler, HttpError, notFoundHandler } from './error-handler.js'
import { favoriteRoutes } from './favorites/routes.js'
import { FavoriteStore } from './favorites/store.js'
import { acceptEmptyJson } from './json-body.js'
import { type LogOptions, loggerOptions, requestId, sendRequestId } from './logger.js'
import { profileRoutes } from './profiles/routes.js'
import { ProfileStore } from './profiles/store.js'
import { tagRoutes } from './tags/routes.js'
import { TagStore } from './tags/store.js'
import { userRoutes } from './users/routes.js'
import { UserStore } from './users/store.js'
import { validatorCompiler } from './validation.js'

/** What can differ between one app and another: how it logs, and its database (a URL). */
export interface AppOptions extends LogOptions {
  databaseUrl: string
  /** Log every SQL query with its values (LOG_SQL, or `pnpm lesson start <n> --sql`). */
  logSql?: boolean
  /** scrypt's cost for new password hashes; tests pass a cheap one. Default: 2 ** 15. */
  passwordCost?: number
  /** The secret that signs tokens (JWT_SECRET). */
  jwtSecret: string
  /** The clock, in milliseconds: tests pass their own to make a token expire without waiting. */
  now?: () => number
}

/**
 * Build the app: RealWorld's "Conduit" API under /api. Building does not open a port
 * (server.ts does that), so tests can send requests straight to the app with `app.inject()`.
 */
export function buildApp(options: AppOptions) {
  // The type provider lets TypeScript read request types straight from the route schemas.
  // A body over 128 KiB is refused (413) before it is read: room for a long article.
  const app = Fastify({
    bodyLimit: 128 * 1024,
    // Errors Fastify meets before any route runs (a malformed URL) get the one shape too.
    frameworkErrors: errorHandler,
    clientErrorHandler,
    logger: loggerOptions(options),
    // Every request gets an id (see logger.ts), and every log line about it carries that id.
    requestIdHeader: false,
    genReqId: requestId,
    // While shutting down, requests still arriving get our 503 (below), not Fastify's own.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Request bodies are checked strictly, URL parts may turn "7" into 7 (see validation.ts).
  app.setValidatorCompiler(validatorCompiler)
  acceptEmptyJson(app)

  // Every error, ours or Fastify's, leaves in the spec's shape; an unexpected one as a bare 500.
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)

  // Every answer says which request id it belongs to, in the X-Request-Id header.
  app.addHook('onSend', sendRequestId)

  const logQuery = options.logSql ? (query: object) => app.log.info(query, 'sql') : undefined
  const db = createDatabase(
    options.databaseUrl,
    (err) => app.log.warn({ err }, 'connection lost'),
    logQuery,
  )
  app.addHook('onClose', () => db.destroy())

  // Shutting down (server.ts): handlers already running finish; a request that is only now
  // ready for its handler gets a 503 to retry elsewhere, and its connection is closed.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('preHandler', async (_request, reply) => {
    if (!closing) return
    reply.header('connection', 'close')
    throw new HttpError(503, 'server', 'is shutting down: retry')
  })

  app.get('/health', async () => {
    await sql`select 1`.execute(db)
    return { status: 'ok', database: 'ok' }
  })

  // Front ends run on other origins (http://localhost:4200 …) and call the API from the
  // browser. Any origin may: the token travels in a header that a page of another site cannot
  // read or send for the user (lesson 21 allows a list, because a cookie goes by itself).
  // The methods are named: @fastify/cors allows only GET, HEAD and POST unless told.
  app.register(cors, { origin: '*', methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] })

  // Tokens are JWTs signed with HS256; only HS256 is accepted back (never `alg: none`).
  app.register(fastifyJwt, {
    secret: options.jwtSecret,
    sign: { algorithm: 'HS256', expiresIn: TOKEN_SECONDS },
    verify: { algorithms: ['HS256'] },
  })

  const now = options.now ?? Date.now
  const users = new UserStore(db)
  const articles = new ArticleStore(db)
  // Each route says whether it needs a signed-in user: `onRequest: auth.required` (401
  // without one) or `auth.optional` (anybody; a signed-in reader sees `following` and such).
  const auth: Auth = { required: authenticate(users, now), optional: identify(users, now) }

  // The spec's routes all start with /api.
  app.register(
    async (api) => {
      api.register(userRoutes, { users, auth, now, passwordCost: options.passwordCost })
      api.register(profileRoutes, { profiles: new ProfileStore(db), auth })
      api.register(articleRoutes, { articles, auth })
      api.register(favoriteRoutes, { favorites: new FavoriteStore(db), articles, auth })
      api.register(commentRoutes, { comments: new CommentStore(db), auth })
      api.register(tagRoutes, { tags: new TagStore(db) })
    },
    { prefix: '/api' },
  )

  return app
}
