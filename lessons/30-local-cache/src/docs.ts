import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { type Static, Type } from 'typebox'

/** The one error shape of error-handler.ts as a schema, shared by every error answer. */
const ErrorReply = Type.Object(
  { statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() },
  { $id: 'ErrorReply' },
)

/**
 * An error answer of a route: the one shape, and `when` says what the status means there. As a
 * response schema it also makes Fastify send exactly these four fields, never more.
 */
export const errorReply = (when: string) =>
  Type.Unsafe<Static<typeof ErrorReply>>({ $ref: 'ErrorReply#', description: when })

/** The answer of a route that answers 204 No Content: no body at all. */
export const noContent = Type.Unsafe<void>({ type: 'null', description: 'Done: no body.' })

/** What every route can answer: bad input, a bug, a database that is down. */
const everyRouteCan = {
  400: errorReply('The body, URL or query is not valid (VALIDATION_FAILED, INVALID_JSON…).'),
  500: errorReply('A bug on our side (INTERNAL_ERROR); the server log has the details.'),
  503: errorReply('The database is unavailable, or the server is shutting down: retry.'),
}

/**
 * An onRoute hook: add the answers every route can give to the route's own answers, a 404 to
 * the routes with an id in the URL, and a tag (the URL's first part) to group them in /docs.
 */
export function documentErrors(route: RouteOptions) {
  // GraphQL answers in a shape of its own, described by its own schema (src/graphql/): not here.
  if (route.url === '/graphql') route.schema = { ...route.schema, hide: true }
  if (route.schema?.hide) return // the documentation's own routes
  const [, tag = ''] = route.url.split('/')
  const notFound = route.url.includes('/:') && { 404: errorReply('No such id (NOT_FOUND).') }
  const response = { ...everyRouteCan, ...notFound, ...(route.schema?.response as object) }
  route.schema = { tags: [tag], ...route.schema, response }
}

/** An onRoute hook for the signed-in routes: they need an access token, or answer 401. */
export function documentSignedIn(route: RouteOptions) {
  if (route.schema?.hide) return
  const noToken = errorReply('No valid access token (MISSING_TOKEN, TOKEN_EXPIRED…).')
  const response = { 401: noToken, ...(route.schema?.response as object) }
  route.schema = { security: [{ accessToken: [] }], ...route.schema, response }
}

/**
 * The OpenAPI document, built from the route schemas: JSON at /openapi.json, and a page to read
 * and try at /docs. Call it before adding any route: it sees only the routes added after it.
 */
export function documentation(app: FastifyInstance) {
  app.register(swagger, {
    // Shared schemas keep their name ($id) in the document: components.schemas.ErrorReply
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? i) },
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Backend Kitchen to-do API', version: '1.0.0' },
      components: {
        securitySchemes: {
          // "Authorization: Bearer <accessToken>", the token from POST /auth/login or /refresh.
          accessToken: { type: 'http', scheme: 'bearer' },
          // The cookie POST /auth/login sets (httpOnly): the browser sends it by itself.
          refreshCookie: { type: 'apiKey', in: 'cookie', name: 'refresh_token' },
        },
      },
    },
  })
  app.addSchema(ErrorReply)
  app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger())
  app.addHook('onRoute', documentErrors)
}
