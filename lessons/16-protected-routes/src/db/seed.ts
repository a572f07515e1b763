import type { Kysely } from 'kysely'
import type { Database } from './database.js'

/** A few to-dos to play with, so a new database is not empty. */
export const sampleTodos = [
  { title: 'Read the README of this lesson', done: true },
  { title: 'Start the server and try GET /todos', done: false },
  { title: 'Write a migration of your own', done: false },
]

/** Add the sample to-dos that are not there yet, so a second run adds nothing. Returns how many. */
export async function seed(db: Kysely<Database>): Promise<number> {
  const titles = sampleTodos.map((todo) => todo.title)
  const found = await db.selectFrom('todos').select('title').where('title', 'in', titles).execute()
  const have = new Set(found.map((row) => row.title))
  const missing = sampleTodos.filter((todo) => !have.has(todo.title))
  if (missing.length > 0) await db.insertInto('todos').values(missing).execute()
  return missing.length
}
