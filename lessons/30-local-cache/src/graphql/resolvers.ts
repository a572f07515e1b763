import type { IResolvers, MercuriusLoaders } from 'mercurius'
import type { Static, TSchema } from 'typebox'
import { HttpError } from '../error-handler.js'
import { NotFoundError } from '../errors.js'
import { CreateListSchema, type List } from '../lists/schemas.js'
import type { ListStore } from '../lists/store.js'
import { decodeCursor, encodeCursor } from '../todos/cursor.js'
import {
  CreateTodoSchema,
  ListTodosQuerySchema,
  MoveTodosSchema,
  type Todo,
  UpdateTodoSchema,
} from '../todos/schemas.js'
import type { TodoStore } from '../todos/store.js'
import type { User } from '../users/schemas.js'
import { validatorCompiler } from '../validation.js'

declare module 'mercurius' {
  interface MercuriusContext {
    /** The signed-in user, found from the token by the same hook as for REST (see app.ts). */
    user: User
  }
}

/** GraphQL checks the types; the REST routes' schemas check the rest (limit ≤ 100, titles …). */
function check<S extends TSchema>(schema: S, args: object): Static<S> {
  // An argument sent as null (`cursor: null`) is one not sent, as in a query string.
  const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null))
  const compiled = validatorCompiler({ schema, method: 'POST', url: '/graphql', httpPart: 'body' })
  const result = compiled(given) as
    | true
    | { error: Error | { instancePath: string; message: string }[] }
  if (result === true) return given as Static<S>
  // Worded as REST words it ("body/limit must be <= 100"), for arguments.
  const [first] = [result.error].flat()
  const message =
    first instanceof Error ? first.message : `body${first?.instancePath} ${first?.message}`
  throw new HttpError(400, 'VALIDATION_FAILED', message.replace(/^body/, 'arguments'))
}

/** REST's 404 becomes an error in `errors`, with the same code and message. */
function noTodo(id: number): never {
  throw new NotFoundError(`There is no to-do with id ${id}.`)
}

/** A function per field: how to answer it, from the same stores as the REST routes. */
export function resolvers(todos: TodoStore, lists: ListStore): IResolvers {
  return {
    Query: {
      me: (_root, _args, { user }) => user,
      todo: async (_root, { id }, { user }) => (await todos.get(user.id, id)) ?? noTodo(id),
      todos: async (_root, args, { user }) => {
        const query = check(ListTodosQuerySchema, args)
        const after = query.cursor ? decodeCursor(query.cursor) : undefined
        const { todos: page, next } = await todos.list(user.id, query, after)
        return { todos: page, nextCursor: next && encodeCursor(next) }
      },
      lists: (_root, _args, { user }) => lists.list(user.id),
    },
    Mutation: {
      createTodo: (_root, args, { user }) =>
        todos.create(user.id, check(CreateTodoSchema, args).title),
      updateTodo: async (_root, { id, ...changes }, { user }) => {
        const todo = await todos.update(user.id, id, check(UpdateTodoSchema, changes))
        return todo ?? noTodo(id)
      },
      deleteTodo: async (_root, { id }, { user }) =>
        (await todos.delete(user.id, id)) || noTodo(id),
      moveTodos: (_root, args, { user }) => todos.move(user.id, check(MoveTodosSchema, args)),
      createList: (_root, args, { user }) =>
        lists.create(user.id, check(CreateListSchema, args).name),
    },
  }
}

/**
 * A loader answers one field for many objects at once. For `lists { todos }` a resolver would
 * run once per list: 1 query for the lists, then N for their to-dos. Mercurius collects the
 * lists instead and calls the loader once: 2 queries, however many lists.
 */
export function loaders(todos: TodoStore, lists: ListStore): MercuriusLoaders {
  return {
    List: {
      async todos(queries: { obj: List }[], { user }) {
        const ids = queries.map(({ obj }) => obj.id)
        const found = await todos.inLists(user.id, ids)
        return queries.map(({ obj }) => found.filter((todo) => todo.listId === obj.id))
      },
    },
    Todo: {
      async list(queries: { obj: Todo }[], { user }) {
        const all = await lists.list(user.id)
        return queries.map(({ obj }) => all.find((list) => list.id === obj.listId) ?? null)
      },
    },
  }
}
