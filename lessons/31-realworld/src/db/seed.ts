import type { Kysely } from 'kysely'
import { ArticleStore } from '../articles/store.js'
import { hashPassword } from '../users/password.js'
import type { Database } from './database.js'

/** The samples' author: log in as them to change them. Fine for playing, never in production. */
export const sampleUser = {
  username: 'sample',
  email: 'sample@example.com',
  password: 'sample password 123',
}

/** A few articles to read, so a new database (and a front end on it) is not empty. */
export const sampleArticles = [
  {
    title: 'Welcome to the capstone',
    description: 'What this API is',
    body: 'This is RealWorld\'s "Conduit" API, built from what the lessons taught.',
    tagList: ['welcome', 'realworld'],
  },
  {
    title: 'Try the official suite',
    description: 'pnpm lesson conformance',
    body: 'It runs the official Postman collection against this API.',
    tagList: ['realworld', 'testing'],
  },
]

/** Add the sample user and the sample articles that are not there yet. Returns how many. */
export async function seed(db: Kysely<Database>): Promise<number> {
  // Insert the sample user, or (on conflict) touch the one that is there: either way, its id.
  const { id: userId } = await db
    .insertInto('users')
    .values({
      username: sampleUser.username,
      email: sampleUser.email,
      password_hash: await hashPassword(sampleUser.password),
    })
    .onConflict((conflict) => conflict.column('email').doUpdateSet({ email: sampleUser.email }))
    .returning('id')
    .executeTakeFirstOrThrow()
  const found = await db
    .selectFrom('articles')
    .select('title')
    .where('author_id', '=', userId)
    .execute()
  const have = new Set(found.map((row) => row.title))
  const missing = sampleArticles.filter((article) => !have.has(article.title))
  // Through the store, as the API does it: slugs and tags come out the same.
  const articles = new ArticleStore(db)
  for (const article of missing) await articles.create(userId, article)
  return missing.length
}
