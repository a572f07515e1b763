import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { clientErrorHandler, errorHandler, notFoundHandler } from './error-handler.js'
import { todoRoutes } from './todos/routes.js'
import { TodoStore } from './todos/store.js'
import { validatorCompiler } from './validation.js'

/**
 * Build the app: which requests it answers, and how. Building does not open a port
 * (server.ts does that), so tests can send requests straight to the app with `app.inject()`.
 */
export function buildApp() {
  // The type provider lets TypeScript read request types straight from the route schemas.
  // A body over 16 KiB is refused (413) before it is read: no request here needs more.
  const app = Fastify({
    // /todos/ is /todos: a slash at the end is a typo, not another resource.
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 16 * 1024,
    // Errors Fastify meets before any route runs (a malformed URL) get the one shape too.
    frameworkErrors: errorHandler,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Request bodies are checked strictly, URL parts may turn "7" into 7 (see validation.ts).
  app.setValidatorCompiler(validatorCompiler)

  // Every error, ours or Fastify's, leaves in the one shape; an unexpected one as a bare 500.
  app.setErrorHandler(errorHandler)
  // Before any route is added: the not-found handler learns every route (see error-handler.ts).
  app.setNotFoundHandler(notFoundHandler(app))

  // A route: when a GET request for /health arrives, answer with this object.
  // Fastify turns the object into JSON and sets "Content-Type: application/json".
  app.get('/health', async () => {
    return { status: 'ok' }
  })

  // Each app gets its own empty store, so every test starts from a clean slate.
  app.register(todoRoutes, { store: new TodoStore() })

  return app
}
