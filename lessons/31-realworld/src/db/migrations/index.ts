import type { Migration } from 'kysely'
import * as users from './0001-users.js'
import * as follows from './0002-follows.js'
import * as articles from './0003-articles.js'
import * as tags from './0004-tags.js'
import * as favorites from './0005-favorites.js'
import * as comments from './0006-comments.js'

/**
 * Every migration, by name. Kysely runs them in the order of their names and records each one
 * it has run in the table `kysely_migration`. A new one: a file with the next number, a line here.
 */
export const migrations: Record<string, Migration> = {
  '0001-users': users,
  '0002-follows': follows,
  '0003-articles': articles,
  '0004-tags': tags,
  '0005-favorites': favorites,
  '0006-comments': comments,
}
