/**
 * What a GraphQL client may ask for, in GraphQL's own language (SDL); `!` means "never null".
 * Query reads, Mutation changes. Fields and arguments have REST's names and types. A list has
 * its to-dos and a to-do its list: a cycle, which is why app.ts limits the depth of a query.
 */
export const schema = /* GraphQL */ `
  type User { id: Int!, email: String!, createdAt: String! }

  type Todo {
    id: Int!
    title: String!
    done: Boolean!
    createdAt: String!
    version: Int!
    listId: Int
    list: List
  }

  type List { id: Int!, name: String!, todos: [Todo!]! }

  "One page of to-dos. nextCursor, when there is one, fetches the next page (REST: the Link header)."
  type TodoPage { todos: [Todo!]!, nextCursor: String }

  enum Sort { createdAt, title }
  enum Order { asc, desc }

  type Query {
    me: User!
    todo(id: Int!): Todo
    todos(done: Boolean, q: String, sort: Sort = createdAt, order: Order = asc, limit: Int = 50, cursor: String): TodoPage
    lists: [List!]!
  }

  type Mutation {
    createTodo(title: String!): Todo
    updateTodo(id: Int!, title: String, done: Boolean, version: Int): Todo
    deleteTodo(id: Int!): Boolean
    moveTodos(todoIds: [Int!]!, listId: Int!): [Todo!]
    createList(name: String!): List
  }
`
