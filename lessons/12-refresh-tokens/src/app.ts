import fastifyCookie from '@fastify/cookie'
import fastifyJwt from '@fastify/jwt'
import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import {
  type CreateAppOptions,
  createApp,
  createErrorHandler,
  notFoundHandler,
} from '@kitchen/core'
import { databaseErrorTranslator } from '@kitchen/db'
import { sql } from 'kysely'
import { authenticate } from './auth/authenticate.js'
import { refreshRoutes } from './auth/refresh-routes.js'
import { RefreshTokenStore } from './auth/refresh-tokens.js'
import { createDatabase } from './db/database.js'
import { listRoutes } from './lists/routes.js'
import { ListStore } from './lists/store.js'
import { todoRoutes } from './todos/routes.js'
import { TodoStore } from './todos/store.js'
import { ACCESS_TOKEN_SECONDS, authRoutes, meRoutes } from './users/routes.js'
import { UserStore } from './users/store.js'

export interface AppOptions extends CreateAppOptions {
  /** Where the to-dos live, such as postgres://postgres:postgres@127.0.0.1:54329/kitchen */
  databaseUrl: string
  /** The secret that signs login tokens (JWT_SECRET). */
  jwtSecret: string
  /** The clock, in milliseconds: tests pass their own to make a token expire without waiting. */
  now?: () => number
  /** Mark the refresh token cookie Secure (HTTPS only): on in production. */
  secureCookies?: boolean
}

/**
 * Build the app: which requests it answers, and how. Building does not open a port
 * (server.ts does that), so tests can send requests straight to the app with `app.inject()`.
 */
export function buildApp(options: AppOptions) {
  // The type provider lets TypeScript read request types straight from the route schemas.
  const app = createApp(options).withTypeProvider<TypeBoxTypeProvider>()

  // Every error, ours or Fastify's, leaves as the one JSON error shape:
  // { statusCode, code, error, message }. Unexpected errors become a 500 that hides the details.
  // Database errors are translated first: "the database is down" becomes a 503, not a 500.
  app.setErrorHandler(createErrorHandler([databaseErrorTranslator]))
  app.setNotFoundHandler(notFoundHandler)

  const db = createDatabase(options.databaseUrl, (error) =>
    app.log.warn({ err: error }, 'an idle database connection failed'),
  )
  // Closing the app (Ctrl-C, or the end of a test) closes the pool's connections too.
  app.addHook('onClose', () => db.destroy())

  // A route: when a GET request for /health arrives, answer with this object.
  // It now asks the database a trivial question, so "ok" means the database answers too.
  app.get('/health', async () => {
    await sql`select 1`.execute(db)
    return { status: 'ok', database: 'ok' }
  })

  // Login tokens are JWTs signed with HS256 (an HMAC with our secret), good for 15 minutes.
  // Only HS256 is accepted back: a token that says `alg: none` (no signature) is refused.
  app.register(fastifyJwt, {
    secret: options.jwtSecret,
    sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_SECONDS },
    verify: { algorithms: ['HS256'] },
  })
  // Counts requests, but with `global: false` only on routes that ask for it (log-in).
  app.register(rateLimit, { global: false })
  // Reads the Cookie header into request.cookies, and adds reply.setCookie and clearCookie.
  app.register(fastifyCookie)

  const now = options.now ?? Date.now
  const secureCookies = options.secureCookies ?? false
  const users = new UserStore(db)
  const refreshTokens = new RefreshTokenStore(db, now)
  app.register(authRoutes, { store: users, now, refreshTokens, secureCookies })
  // Open routes too: they need the refresh token cookie, not an access token.
  app.register(refreshRoutes, { store: refreshTokens, now, secureCookies })

  // Every route registered in here needs a signed-in user: the hook runs before each of them.
  // Routes outside (/health and the /auth routes) stay open to everybody.
  app.register(async (signedIn) => {
    signedIn.addHook('onRequest', authenticate(users, now))
    signedIn.register(todoRoutes, { store: new TodoStore(db) })
    signedIn.register(listRoutes, { store: new ListStore(db) })
    signedIn.register(meRoutes)
  })

  return app
}
