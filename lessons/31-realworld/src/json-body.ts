import type { FastifyInstance } from 'fastify'

/**
 * A JSON body may be empty: that is no body, not bad JSON. The spec's clients (the official
 * suite among them) send `Content-Type: application/json` with nothing after it on requests
 * that need no body, such as a favourite. Fastify's own JSON parser answers those with a 400;
 * this one hands the route no body, and parses everything else with Fastify's parser (which
 * refuses `__proto__` keys).
 */
export function acceptEmptyJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser<string>(
    'application/json',
    { parseAs: 'string' },
    (request, body, done) => {
      if (body === '') return done(null, undefined)
      parseJson(request, body, done)
    },
  )
}
