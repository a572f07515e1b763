import fastifyCookie from '@fastify/cookie'
import fastifyJwt from '@fastify/jwt'
import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import mercurius from 'mercurius'
import { authenticate } from './auth/authenticate.js'
import { RefreshTokenStore } from './auth/refresh-tokens.js'
import { authRoutes } from './auth/routes.js'
import { ACCESS_TOKEN_SECONDS } from './auth/tokens.js'
import { Cache } from './cache.js'
import { createDatabase } from './db/database.js'
import { documentation, documentSignedIn } from './docs.js'
import { clientErrorHandler, errorHandler, HttpError, notFoundHandler } from './error-handler.js'
import { formatErrors } from './graphql/errors.js'
import { loaders, resolvers } from './graphql/resolvers.js'
import { schema } from './graphql/schema.js'
import { listRoutes } from './lists/routes.js'
import { ListStore } from './lists/store.js'
import { LocalCache } from './local-cache.js'
import { type LogOptions, loggerOptions, requestId, sendRequestId } from './logger.js'
import { page } from './page.js'
import { readiness } from './readiness.js'
import { addSecurityHeaders } from './security.js'
import { todoRoutes } from './todos/routes.js'
import { TodoStore } from './todos/store.js'
import { userRoutes } from './users/routes.js'
import { UserStore } from './users/store.js'
import { validatorCompiler } from './validation.js'

/** What can differ between one app and another: how it logs, and its database (a URL). */
export interface AppOptions extends LogOptions {
  databaseUrl: string
  /** Log every SQL query with its values (LOG_SQL, or `pnpm lesson start 8 --sql`). */
  logSql?: boolean
  /** scrypt's cost for new password hashes; tests pass a cheap one. Default: 2 ** 15. */
  passwordCost?: number
  /** The secret that signs access tokens (JWT_SECRET). */
  jwtSecret: string
  /** The clock, in milliseconds: tests pass their own to make a token expire without waiting. */
  now?: () => number
  /** Sign-ups allowed from one address in a minute (10 when left out). */
  signupsPerMinute?: number
  /** Mark the refresh token cookie Secure (sent over HTTPS only): on in production. */
  secureCookies?: boolean
  /** Origins (https://example.com) whose pages may call this API from a browser: CORS_ORIGINS. */
  corsOrigins?: string[]
  /** Redis (REDIS_URL): the user cache, the deny-list, the log-in counts. Optional: see cache.ts. */
  redisUrl?: string
  /** Put before every Redis key, so that apps sharing one Redis keep apart (the tests do). */
  redisPrefix?: string
  /**
   * The proxies whose X-Forwarded-For we believe (TRUST_PROXY): addresses or ranges, such as
   * '127.0.0.1' or '10.0.0.0/8'. None by default: anybody can send that header.
   */
  trustProxy?: string
  /** This copy's name (INSTANCE), sent in an X-Instance header: which copy answered. */
  instance?: string
}

/**
 * Build the app: which requests it answers, and how. Building does not open a port
 * (server.ts does that), so tests can send requests straight to the app with `app.inject()`.
 */
export function buildApp(options: AppOptions) {
  // The type provider lets TypeScript read request types straight from the route schemas.
  // A body over 16 KiB is refused (413) before it is read: no request here needs more.
  const app = Fastify({
    // /todos/ is /todos: a slash at the end is a typo, not another resource.
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 16 * 1024,
    // Errors Fastify meets before any route runs (a malformed URL) get the one shape too.
    frameworkErrors: errorHandler,
    clientErrorHandler,
    logger: loggerOptions(options),
    // Every request gets an id (see logger.ts), and every log line about it carries that id.
    requestIdHeader: false,
    genReqId: requestId,
    // While shutting down, requests still arriving get our 503 (below), not Fastify's own.
    return503OnClosing: false,
    // request.ip: the client's address from X-Forwarded-For, but only on a connection from a
    // proxy we trust; from anybody else the header is ignored, and the connection's address used.
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Request bodies are checked strictly, URL parts may turn "7" into 7 (see validation.ts).
  app.setValidatorCompiler(validatorCompiler)

  // Every error, ours or Fastify's, leaves in the one shape; an unexpected one as a bare 500.
  app.setErrorHandler(errorHandler)
  // Before any route is added: the not-found handler learns every route (see error-handler.ts).
  app.setNotFoundHandler(notFoundHandler(app))

  // Every answer says which request id it belongs to, in the X-Request-Id header.
  app.addHook('onSend', sendRequestId)
  // Behind NGINX (lesson 27), which copy of the app answered: only to see the load balancing.
  const { instance } = options
  if (instance) {
    app.addHook('onSend', async (_request, reply) => {
      reply.header('x-instance', instance)
    })
  }

  // Headers that tell browsers how to treat our answers, and which other sites may call us.
  const corsOrigins = options.corsOrigins ?? []
  addSecurityHeaders(app, corsOrigins)

  const logQuery = options.logSql ? (query: object) => app.log.info(query, 'sql') : undefined
  const db = createDatabase(
    options.databaseUrl,
    (err) => app.log.warn({ err }, 'connection lost'),
    logQuery,
  )
  app.addHook('onClose', () => db.destroy())

  // Redis (cache.ts), connected before the first request; if it is down, that is logged.
  const cache = new Cache(app.log, options.redisUrl, options.redisPrefix)
  app.addHook('onReady', async () => cache.redis?.connect().catch(() => {}))
  app.addHook('onClose', async () => cache.redis?.disconnect())

  // Shutting down (server.ts): handlers already running finish; a request that is only now
  // ready for its handler gets a 503 to retry elsewhere, and its connection is closed.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('preHandler', async (_request, reply) => {
    if (!closing) return
    reply.header('connection', 'close')
    throw new HttpError(503, 'SHUTTING_DOWN', 'The server is shutting down: retry.')
  })

  // The OpenAPI document (/openapi.json) and its page (/docs), from the routes registered below.
  documentation(app)

  // The front end: GET / answers the page in public/, which calls the routes below (page.ts).
  app.register(page)

  // GET /health (the process is alive), GET /ready (it can serve requests: Postgres answers and
  // it is not shutting down) and app.drain(), which server.ts calls on SIGTERM: readiness.ts.
  readiness(app, db, cache)

  // Access tokens are JWTs signed with HS256; only HS256 is accepted back (never `alg: none`).
  app.register(fastifyJwt, {
    secret: options.jwtSecret,
    sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_SECONDS },
    verify: { algorithms: ['HS256'] },
  })
  // Counts requests, but (`global: false`) only on routes that ask for it: sign-up.
  app.register(rateLimit, { global: false })
  const now = options.now ?? Date.now
  // The signed-in users in this copy's memory, told by Redis what to forget (local-cache.ts).
  const memory = new LocalCache(now, cache)
  app.addHook('onReady', () => memory.listen())
  app.addHook('onClose', async () => memory.close())
  const users = new UserStore(db, cache, memory)
  const signupsPerMinute = options.signupsPerMinute ?? 10
  app.register(fastifyCookie)
  app.register(authRoutes, {
    users,
    passwordCost: options.passwordCost,
    now,
    signupsPerMinute,
    refreshTokens: new RefreshTokenStore(db, now),
    secureCookies: options.secureCookies ?? false,
    corsOrigins,
    cache,
    memory,
  })

  // Every route registered in here needs a signed-in user: the hook runs before each of them.
  // Routes outside it (/health and /auth/…) stay open to everybody.
  app.register(async (signedIn) => {
    signedIn.addHook('onRequest', authenticate(users, cache, memory, now))
    signedIn.addHook('onRoute', documentSignedIn)
    // These answers hold one user's data: no browser or proxy cache may keep a copy.
    signedIn.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store')
    })
    const todos = new TodoStore(db)
    const lists = new ListStore(db)
    signedIn.register(todoRoutes, { store: todos })
    signedIn.register(listRoutes, { store: lists })
    signedIn.register(userRoutes, { users })
    // POST /graphql: the same data over the same stores, one endpoint (see src/graphql/).
    signedIn.register(mercurius, {
      schema,
      resolvers: resolvers(todos, lists),
      loaders: loaders(todos, lists),
      // What every resolver is given: the user the hook above found from the token.
      context: (request) => ({ user: request.user }),
      // lists { todos { list { todos { … } } } } could go on for ever: 5 levels at most.
      queryDepth: 5,
      errorFormatter: formatErrors,
    })
  })

  return app
}
