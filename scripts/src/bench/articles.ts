import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { withClient } from '@kitchen/db'
import type { SetupContext } from './setup.js'

/**
 * The capstone's bench data: a full page of articles, written through its own stores (users,
 * articles with their tags, favourites), so the rows are exactly what its API would make.
 */

/** Articles in the bench database: one page of GET /api/articles (limit 20 by default). */
export const SEEDED_ARTICLES = 20

/** Their authors; each also favourites some articles, so the counts differ. */
const AUTHORS = 5

const TAGS = ['bench', 'cooking', 'fastify', 'node', 'postgres', 'typescript']

/** The parts of the capstone's stores the seed uses (src/users, src/articles, src/favorites). */
interface Stores {
  createDatabase: (url: string, onError: (error: Error) => void) => { destroy(): Promise<void> }
  UserStore: new (
    db: unknown,
  ) => {
    create(username: string, email: string, passwordHash: string): Promise<{ id: number }>
  }
  ArticleStore: new (
    db: unknown,
  ) => {
    create(
      authorId: number,
      article: { title: string; description: string; body: string; tagList: string[] },
    ): Promise<{ slug: string }>
  }
  FavoriteStore: new (db: unknown) => { add(userId: number, slug: string): Promise<void> }
}

async function loadStores(lessonDir: string): Promise<Stores> {
  const load = (file: string) =>
    import(pathToFileURL(join(lessonDir, 'src', file)).href) as Promise<Record<string, unknown>>
  const [database, users, articles, favorites] = await Promise.all([
    load('db/database.ts'),
    load('users/store.ts'),
    load('articles/store.ts'),
    load('favorites/store.ts'),
  ])
  const stores = {
    createDatabase: database.createDatabase,
    UserStore: users.UserStore,
    ArticleStore: articles.ArticleStore,
    FavoriteStore: favorites.FavoriteStore,
  }
  for (const [name, value] of Object.entries(stores)) {
    if (typeof value !== 'function') throw new Error(`the capstone's src exports no ${name}`)
  }
  return stores as Stores
}

/**
 * A setup for the capstone's targets (its own and its raw pg twin's, which share one
 * database): SEEDED_ARTICLES articles by AUTHORS users, one to three tags each, favourited
 * by none to all of the users. Done once: a database that has the articles already is kept.
 */
export async function seedArticles(
  _baseUrl: string,
  { databaseUrl, lessonDir }: SetupContext,
): Promise<undefined> {
  if (!databaseUrl || !lessonDir) throw new Error('the articles need the bench database')
  const count = async () =>
    withClient(databaseUrl, async (client) => {
      const { rows } = await client.query<{ count: string }>('select count(*) from articles')
      return Number(rows[0]?.count)
    })
  if ((await count()) >= SEEDED_ARTICLES) return undefined

  const { createDatabase, UserStore, ArticleStore, FavoriteStore } = await loadStores(lessonDir)
  const db = createDatabase(databaseUrl, () => {})
  try {
    const users = new UserStore(db)
    const authors: number[] = []
    for (let i = 1; i <= AUTHORS; i++) {
      // Nobody logs in as them: a placeholder where the password's hash would be.
      const user = await users.create(`author${i}`, `author${i}@bench.example`, 'no password')
      authors.push(user.id)
    }
    const articles = new ArticleStore(db)
    const favorites = new FavoriteStore(db)
    for (let i = 0; i < SEEDED_ARTICLES; i++) {
      const author = authors[i % AUTHORS] as number
      const tagList = TAGS.slice(i % TAGS.length, (i % TAGS.length) + 1 + (i % 3))
      const { slug } = await articles.create(author, {
        title: `Bench article ${i + 1}`,
        description: `What article ${i + 1} is about, in one sentence.`,
        body: `The body of article ${i + 1}. `.repeat(20),
        tagList,
      })
      for (const fan of authors.slice(0, i % (AUTHORS + 1))) await favorites.add(fan, slug)
    }
  } finally {
    await db.destroy()
  }
  await withClient(databaseUrl, (client) => client.query('vacuum analyze'))
  if ((await count()) < SEEDED_ARTICLES) throw new Error('the articles were not saved')
  return undefined
}
