import type { Kysely } from 'kysely'
import { hashPassword } from '../users/password.js'
import type { Database } from './database.js'

/** A few to-dos to play with, so a new database is not empty. */
export const sampleTodos = [
  { title: 'Read the README of this lesson', done: true },
  { title: 'Start the server and try GET /todos', done: false },
  { title: 'Write a migration of your own', done: false },
]

/** The samples' owner: log in as them to see them. Fine for playing, never in production. */
export const sampleUser = { email: 'sample@example.com', password: 'sample password 123' }

/** Add the sample to-dos that are not there yet, so a second run adds nothing. Returns how many. */
export async function seed(db: Kysely<Database>): Promise<number> {
  // Insert the sample user, or (on conflict) touch the one that is there: either way, its id.
  const { id: userId } = await db
    .insertInto('users')
    .values({ email: sampleUser.email, password_hash: await hashPassword(sampleUser.password) })
    .onConflict((conflict) => conflict.column('email').doUpdateSet({ email: sampleUser.email }))
    .returning('id')
    .executeTakeFirstOrThrow()
  const titles = sampleTodos.map((todo) => todo.title)
  const found = await db
    .selectFrom('todos')
    .select('title')
    .where('user_id', '=', userId)
    .where('title', 'in', titles)
    .execute()
  const have = new Set(found.map((row) => row.title))
  const missing = sampleTodos.filter((todo) => !have.has(todo.title))
  const owned = missing.map((todo) => ({ ...todo, user_id: userId }))
  if (owned.length > 0) await db.insertInto('todos').values(owned).execute()
  return missing.length
}
