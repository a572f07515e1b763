import { type Static, Type } from 'typebox'
import { errorReply, noContent } from '../docs.js'

/**
 * Schemas describe the data a route accepts and sends. Fastify checks every request against
 * them before our code runs (a bad request gets a 400 and never reaches the handler), and
 * sends only the fields the response schema lists. TypeBox turns each schema into a
 * TypeScript type as well, so the checks and the types can never disagree.
 */

/** A title: 1 to 500 characters, and not only spaces. */
const Title = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' })

export const TodoSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  done: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  listId: Type.Union([Type.Integer(), Type.Null()]),
  /** Goes up by one with every change; send it back in PATCH to detect a lost update. */
  version: Type.Integer(),
})

/** `additionalProperties: false`: an unknown field is an error, not silently ignored. */
export const CreateTodoSchema = Type.Object({ title: Title }, { additionalProperties: false })

export const UpdateTodoSchema = Type.Object(
  {
    title: Type.Optional(Title),
    done: Type.Optional(Type.Boolean()),
    /** The version the caller last saw. When sent, a stale one is refused with 409. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false, minProperties: 1 },
)

/** URL params arrive as text; the schema turns "7" into the number 7 and rejects "abc". */
export const TodoParamsSchema = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
})

/** GET /todos?done=false&q=milk&sort=title&order=desc&limit=20: `limit` caps the work. */
export const ListTodosQuerySchema = Type.Object(
  {
    done: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    sort: Type.Enum(['createdAt', 'title'], { default: 'createdAt' }),
    order: Type.Enum(['asc', 'desc'], { default: 'asc' }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
)

/** POST /todos/move: put 1 to 100 different to-dos into one list, all of them or none. */
const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 })
export const MoveTodosSchema = Type.Object(
  { todoIds: Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true }), listId: Id },
  { additionalProperties: false },
)

/** Each route's schema: what it takes (params, query string, body) and answers, by status. */
export const listTodos = {
  querystring: ListTodosQuerySchema,
  response: { 200: Type.Array(TodoSchema) },
}
export const createTodo = { body: CreateTodoSchema, response: { 201: TodoSchema } }
export const moveTodos = {
  body: MoveTodosSchema,
  response: {
    200: Type.Array(TodoSchema),
    404: errorReply('A to-do does not exist (NOT_FOUND): nothing moved.'),
    409: errorReply('The list does not exist (REFERENCE_NOT_FOUND): nothing moved.'),
  },
}
export const getTodo = { params: TodoParamsSchema, response: { 200: TodoSchema } }
export const updateTodo = {
  params: TodoParamsSchema,
  body: UpdateTodoSchema,
  response: { 200: TodoSchema, 409: errorReply('A newer version exists (VERSION_CONFLICT).') },
}
export const deleteTodo = { params: TodoParamsSchema, response: { 204: noContent } }

export type Todo = Static<typeof TodoSchema>
export type MoveTodos = Static<typeof MoveTodosSchema>
export type ListTodosQuery = Static<typeof ListTodosQuerySchema>
export type CreateTodo = Static<typeof CreateTodoSchema>
export type UpdateTodo = Static<typeof UpdateTodoSchema>
