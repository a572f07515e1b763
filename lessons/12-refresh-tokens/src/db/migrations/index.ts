import type { Migration } from 'kysely'
import * as createTodos from './0001-create-todos.js'
import * as indexTodos from './0002-index-todos.js'
import * as listsAndVersions from './0003-lists-and-versions.js'
import * as createUsers from './0004-create-users.js'
import * as owners from './0005-owners.js'
import * as refreshTokens from './0006-refresh-tokens.js'

/**
 * Every migration, by name. Kysely runs them in the order of their names and records each one
 * it has run in the table `kysely_migration`, so each runs exactly once per database.
 * A new migration: add a file with the next number, and a line here.
 */
export const migrations: Record<string, Migration> = {
  '0001-create-todos': createTodos,
  '0002-index-todos': indexTodos,
  '0003-lists-and-versions': listsAndVersions,
  '0004-create-users': createUsers,
  '0005-owners': owners,
  '0006-refresh-tokens': refreshTokens,
}
