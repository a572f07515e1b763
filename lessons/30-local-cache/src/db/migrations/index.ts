import type { Migration } from 'kysely'
import * as createTodos from './0001-create-todos.js'
import * as indexTodos from './0002-index-todos.js'
import * as lists from './0003-lists.js'
import * as todoLists from './0004-todo-lists.js'
import * as todoVersions from './0005-todo-versions.js'
import * as createUsers from './0006-create-users.js'
import * as owners from './0007-owners.js'
import * as refreshTokens from './0008-refresh-tokens.js'
import * as families from './0009-refresh-token-families.js'

/**
 * Every migration, by name. Kysely runs them in the order of their names and records each one
 * it has run in the table `kysely_migration`. A new one: a file with the next number, a line here.
 */
export const migrations: Record<string, Migration> = {
  '0001-create-todos': createTodos,
  '0002-index-todos': indexTodos,
  '0003-lists': lists,
  '0004-todo-lists': todoLists,
  '0005-todo-versions': todoVersions,
  '0006-create-users': createUsers,
  '0007-owners': owners,
  '0008-refresh-tokens': refreshTokens,
  '0009-refresh-token-families': families,
}
