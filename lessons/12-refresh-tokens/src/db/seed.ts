import type { Kysely } from 'kysely'
import { hashPassword } from '../users/password.js'
import type { Database } from './database.js'

/** A few to-dos to play with, so a new database is not empty. */
export const sampleTodos = [
  { title: 'Read the README of this lesson', done: true },
  { title: 'Start the server and try GET /todos', done: false },
  { title: 'Write a migration of your own', done: false },
]

/**
 * Every to-do has an owner now, so the samples belong to a sample user: log in as them to see
 * the samples. The password is printed and in this file: fine for playing, never in production.
 */
export const sampleUser = { email: 'sample@example.com', password: 'sample password 123' }

/**
 * Add the sample user and their to-dos, unless they are there already: running the seed twice
 * must not double the data. Returns how many to-dos it added.
 */
export async function seed(db: Kysely<Database>): Promise<number> {
  const userId = await sampleUserId(db)
  const existing = await db
    .selectFrom('todos')
    .select('title')
    .where('user_id', '=', userId)
    .where(
      'title',
      'in',
      sampleTodos.map((todo) => todo.title),
    )
    .execute()
  const have = new Set(existing.map((row) => row.title))
  const missing = sampleTodos.filter((todo) => !have.has(todo.title))
  if (missing.length > 0) {
    await db
      .insertInto('todos')
      .values(missing.map((todo) => ({ ...todo, user_id: userId })))
      .execute()
  }
  return missing.length
}

/** The sample user's id: made (with a hashed password, as for everyone) on the first run. */
async function sampleUserId(db: Kysely<Database>): Promise<number> {
  const found = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', sampleUser.email)
    .executeTakeFirst()
  if (found) return found.id
  const created = await db
    .insertInto('users')
    .values({ email: sampleUser.email, password_hash: await hashPassword(sampleUser.password) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return created.id
}
