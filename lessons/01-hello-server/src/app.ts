import Fastify from 'fastify'

/**
 * Build the app: which requests it answers, and how. Building does not open a port
 * (server.ts does that), so tests can send requests straight to the app with `app.inject()`.
 */
export function buildApp() {
  const app = Fastify()

  // A route: when a GET request for /health arrives, answer with this object.
  // Fastify turns the object into JSON and sets "Content-Type: application/json".
  app.get('/health', async () => {
    return { status: 'ok' }
  })

  return app
}
