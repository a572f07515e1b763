import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotFoundError } from '../errors.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { createTodo, deleteTodo, getTodo, listTodos, moveTodos, updateTodo } from './schemas.js'
import type { TodoStore } from './store.js'

/**
 * The to-do routes. A URL names a thing (a "resource"), the method says what to do with it (GET
 * reads, POST creates, PATCH changes, DELETE removes), the status code how it went (200 OK,
 * 201 Created, 204 No Content, 400 Bad Request: the caller's mistake, 404 Not Found).
 */
export const todoRoutes: FastifyPluginAsyncTypebox<{ store: TodoStore }> = async (
  app,
  { store },
) => {
  app.get('/todos', { schema: listTodos }, async (request, reply) => {
    const after = request.query.cursor ? decodeCursor(request.query.cursor) : undefined
    const { todos, next } = await store.list(request.user.id, request.query, after)
    if (next) {
      // The body stays a plain list; the next page is in a Link header, with the same query.
      const query = new URLSearchParams()
      for (const [name, value] of Object.entries(request.query)) query.set(name, String(value))
      query.set('cursor', encodeCursor(next))
      reply.header('link', `</todos?${query}>; rel="next"`)
    }
    return todos
  })

  app.post('/todos', { schema: createTodo }, async (request, reply) => {
    const todo = await store.create(request.user.id, request.body.title)
    // request.log adds this request's id to the line, so one request's lines can be found.
    request.log.info({ todoId: todo.id }, 'to-do created')
    // 201 Created, and where to find the new to-do.
    return reply.code(201).header('location', `/todos/${todo.id}`).send(todo)
  })

  app.post('/todos/move', { schema: moveTodos }, async (request) => {
    return store.move(request.user.id, request.body)
  })

  app.get('/todos/:id', { schema: getTodo }, async (request) => {
    const todo = await store.get(request.user.id, request.params.id)
    if (!todo) throw new NotFoundError(`There is no to-do with id ${request.params.id}.`)
    return todo
  })

  app.patch('/todos/:id', { schema: updateTodo }, async (request) => {
    const todo = await store.update(request.user.id, request.params.id, request.body)
    if (!todo) throw new NotFoundError(`There is no to-do with id ${request.params.id}.`)
    return todo
  })

  app.delete('/todos/:id', { schema: deleteTodo }, async (request, reply) => {
    if (!(await store.delete(request.user.id, request.params.id))) {
      throw new NotFoundError(`There is no to-do with id ${request.params.id}.`)
    }
    request.log.info({ todoId: request.params.id }, 'to-do deleted')
    // 204 No Content: it worked, and there is nothing to send back.
    return reply.code(204).send()
  })
}
