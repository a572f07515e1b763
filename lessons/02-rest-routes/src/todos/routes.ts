import { httpErrors } from '@kitchen/core'
import type { FastifyPluginAsync } from 'fastify'
import type { TodoChanges, TodoStore } from './store.js'

/**
 * The to-do routes. Each URL names a thing (a "resource"), and the HTTP method says what to do
 * with it: GET reads, POST creates, PATCH changes, DELETE removes. The status code tells the
 * caller how it went: 200 OK, 201 Created, 204 No Content, 400 Bad Request, 404 Not Found.
 */
export const todoRoutes: FastifyPluginAsync<{ store: TodoStore }> = async (app, { store }) => {
  app.get('/todos', async () => {
    return store.list()
  })

  app.post('/todos', async (request, reply) => {
    const { title } = readBody(request.body)
    if (typeof title !== 'string' || title.trim() === '') {
      throw httpErrors.badRequest('A to-do needs a "title": a string that is not empty.')
    }
    const todo = store.create(title)
    // 201 Created, and where to find the new to-do.
    return reply.code(201).header('location', `/todos/${todo.id}`).send(todo)
  })

  app.get<{ Params: { id: string } }>('/todos/:id', async (request) => {
    const id = parseId(request.params.id)
    const todo = store.get(id)
    if (!todo) throw httpErrors.notFound(`There is no to-do with id ${id}.`)
    return todo
  })

  app.patch<{ Params: { id: string } }>('/todos/:id', async (request) => {
    const id = parseId(request.params.id)
    const changes = readChanges(request.body)
    const todo = store.update(id, changes)
    if (!todo) throw httpErrors.notFound(`There is no to-do with id ${id}.`)
    return todo
  })

  app.delete<{ Params: { id: string } }>('/todos/:id', async (request, reply) => {
    const id = parseId(request.params.id)
    if (!store.delete(id)) throw httpErrors.notFound(`There is no to-do with id ${id}.`)
    // 204 No Content: it worked, and there is nothing to send back.
    return reply.code(204).send()
  })
}

/** Ids are whole numbers from 1 up. Anything else ("abc", "1.5", "-3") is the caller's mistake. */
function parseId(raw: string): number {
  const id = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1) {
    throw httpErrors.badRequest(`"${raw}" is not a to-do id: ids are whole numbers such as 1.`)
  }
  return id
}

/** The body must be a JSON object; a bare string or a list is not. */
function readBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw httpErrors.badRequest('The body must be a JSON object, such as {"title": "Buy milk"}.')
  }
  return body as Record<string, unknown>
}

/** Checking by hand what a change may contain. Lesson 03 replaces all of this with a schema. */
function readChanges(body: unknown): TodoChanges {
  const { title, done } = readBody(body)
  const changes: TodoChanges = {}
  if (title !== undefined) {
    if (typeof title !== 'string' || title.trim() === '') {
      throw httpErrors.badRequest('"title" must be a string that is not empty.')
    }
    changes.title = title
  }
  if (done !== undefined) {
    if (typeof done !== 'boolean') throw httpErrors.badRequest('"done" must be true or false.')
    changes.done = done
  }
  return changes
}
