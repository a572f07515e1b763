import type { FastifyPluginAsync } from 'fastify'
import type { TodoStore } from './store.js'

/**
 * The to-do routes. A URL names a thing (a "resource"), the method says what to do with it (GET
 * reads, POST creates, PATCH changes, DELETE removes), the status code how it went (200 OK,
 * 201 Created, 204 No Content, 400 Bad Request: the caller's mistake, 404 Not Found).
 */
export const todoRoutes: FastifyPluginAsync<{ store: TodoStore }> = async (app, { store }) => {
  app.get('/todos', async () => {
    return store.list()
  })

  app.post('/todos', async (request, reply) => {
    const { title } = fields(request.body)
    if (!isTitle(title)) throw httpError(400, 'A to-do needs a "title": text that is not empty.')
    const todo = store.create(title)
    // 201 Created, and where to find the new to-do.
    return reply.code(201).header('location', `/todos/${todo.id}`).send(todo)
  })

  app.get<{ Params: { id: string } }>('/todos/:id', async (request) => {
    const id = parseId(request.params.id)
    const todo = store.get(id)
    if (!todo) throw httpError(404, `There is no to-do with id ${id}.`)
    return todo
  })

  app.patch<{ Params: { id: string } }>('/todos/:id', async (request) => {
    const id = parseId(request.params.id)
    const { title, done } = fields(request.body)
    if (title !== undefined && !isTitle(title)) throw httpError(400, '"title" must not be empty.')
    if (done !== undefined && typeof done !== 'boolean') {
      throw httpError(400, '"done" must be true or false.')
    }
    const todo = store.update(id, { title, done })
    if (!todo) throw httpError(404, `There is no to-do with id ${id}.`)
    return todo
  })

  app.delete<{ Params: { id: string } }>('/todos/:id', async (request, reply) => {
    const id = parseId(request.params.id)
    if (!store.delete(id)) throw httpError(404, `There is no to-do with id ${id}.`)
    // 204 No Content: it worked, and there is nothing to send back.
    return reply.code(204).send()
  })
}

// Checks by hand, until lesson 03. Ids are whole numbers from 1 up: not "abc", "1.5" or "-3".
function parseId(raw: string): number {
  const id = Number(raw)
  if (/^\d+$/.test(raw) && Number.isSafeInteger(id) && id >= 1) return id
  throw httpError(400, `"${raw}" is not a to-do id: ids are whole numbers such as 1.`)
}

/** The fields of a JSON object body. Anything else (a list, a bare string) has none. */
function fields(body: unknown): { title?: unknown; done?: unknown } {
  return typeof body === 'object' && body !== null ? body : {}
}

/** A title is text with something besides spaces in it. */
const isTitle = (title: unknown): title is string => typeof title === 'string' && !!title.trim()

/** An error Fastify answers with this status code, as JSON: {"statusCode":404,"error":…}. */
function httpError(statusCode: number, message: string) {
  return Object.assign(new Error(message), { statusCode })
}
