import type { Migration } from 'kysely'
import * as createTodos from './0001-create-todos.js'
import * as indexTodos from './0002-index-todos.js'
import * as lists from './0003-lists.js'

/**
 * Every migration, by name. Kysely runs them in the order of their names and records each one
 * it has run in the table `kysely_migration`. A new one: a file with the next number, a line here.
 */
export const migrations: Record<string, Migration> = {
  '0001-create-todos': createTodos,
  '0002-index-todos': indexTodos,
  '0003-lists': lists,
}
