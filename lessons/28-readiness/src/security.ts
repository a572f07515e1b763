import cors from '@fastify/cors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import helmet from 'helmet'
import { HttpError } from './error-handler.js'

/**
 * What a browser needs to be told to keep its user safe. The API answers curl the same as
 * before: these headers are instructions to browsers, and only browsers follow them.
 */
export function addSecurityHeaders(app: FastifyInstance, corsOrigins: string[]) {
  // Helmet's defaults on every answer: a Content-Security-Policy that lets a page run scripts
  // and load styles and images from this server only (an injected <script> from anywhere else
  // does not run), no MIME sniffing, no framing by other sites, no Referer to other sites, HSTS.
  // Not "upgrade-insecure-requests": on your computer the app is plain http://127.0.0.1.
  // helmet() reads its options once and gives back what sets the headers; each request then
  // only sets them. (@fastify/helmet would read the options again for every request, so that a
  // route could have options of its own: we have none, and that cost a tenth of a request.)
  const setHeaders = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  })
  app.addHook('onRequest', (request, reply, done) =>
    setHeaders(request.raw, reply.raw, () => done()),
  )

  // CORS: a page from another origin (scheme://host:port) may read our answers only when that
  // origin is on the list (CORS_ORIGINS). None by default: browsers then refuse every other
  // site's page, while curl, Postman and our own page are not affected.
  app.register(cors, {
    origin: corsOrigins,
    credentials: true, // allowed pages may send the refresh cookie
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    exposedHeaders: ['link', 'retry-after', 'x-request-id'], // the headers pages may read
    maxAge: 600, // a browser may reuse a preflight's answer for 10 minutes
  })
}

/**
 * For the routes that act on the refresh cookie: a request a page of another site made (its
 * Origin header says so) is refused unless that site is allowed. SameSite=Strict already keeps
 * the cookie off such requests in today's browsers; this holds in older ones too (CSRF).
 */
export function checkOrigin(corsOrigins: string[]) {
  return async (request: FastifyRequest) => {
    const origin = request.headers.origin
    if (origin === undefined) return // not sent by a page: curl, Postman, a server
    if (origin === `${request.protocol}://${request.host}`) return // our own page
    if (corsOrigins.includes(origin)) return
    throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', `Pages from ${origin} may not use this route.`)
  }
}
