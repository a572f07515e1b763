import Fastify from 'fastify'
import { todoRoutes } from './todos/routes.js'
import { TodoStore } from './todos/store.js'

/**
 * Build the app: which requests it answers, and how. Building does not open a port
 * (server.ts does that), so tests can send requests straight to the app with `app.inject()`.
 */
export function buildApp() {
  const app = Fastify({
    // /todos/ is /todos: a slash at the end is a typo, not another resource.
    routerOptions: { ignoreTrailingSlash: true },
  })

  // A route: when a GET request for /health arrives, answer with this object.
  // Fastify turns the object into JSON and sets "Content-Type: application/json".
  app.get('/health', async () => {
    return { status: 'ok' }
  })

  // Each app gets its own empty store, so every test starts from a clean slate.
  app.register(todoRoutes, { store: new TodoStore() })

  return app
}
