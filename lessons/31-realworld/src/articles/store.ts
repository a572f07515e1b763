import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
import type { Database } from '../db/database.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import { following } from '../profiles/store.js'
import type { Article, ArticleSummary, NewArticle, UpdateArticle } from './schemas.js'
import { isReserved, slugify, withRandomEnding } from './slug.js'

/** Which articles a list shows. Each one given narrows it; none: every article. */
export interface ArticleFilters {
  tag?: string
  /** Written by this username. */
  author?: string
  /** Favourited by this username. */
  favorited?: string
  /** Written by someone this user (an id) follows: the feed. */
  followedBy?: number
}

export interface Page {
  limit: number
  offset: number
}

type Db = Kysely<Database> | Transaction<Database>

/** Articles and their authors: the tables every article query starts from. */
function articlesWithAuthors(db: Db) {
  return db.selectFrom('articles').innerJoin('users as author', 'author.id', 'articles.author_id')
}

/** The article's tag names, alphabetically (the official suite checks the order); {} for none. */
function tagNames(articleId: string): RawBuilder<string[]> {
  return sql<string[]>`array(
    select tags.name from article_tags join tags on tags.id = article_tags.tag_id
    where article_tags.article_id = ${sql.ref(articleId)} order by tags.name)`
}

/** Has the reader favourited the article? Always false for a visitor. */
function favorited(readerId: number | null, articleId: string): RawBuilder<boolean> {
  if (readerId === null) return sql<boolean>`false`
  return sql<boolean>`exists (
    select 1 from favorites where user_id = ${readerId} and article_id = ${sql.ref(articleId)})`
}

/**
 * What the API shows of each article, as the reader (null: a visitor) sees it: its columns, its
 * author's, and three small pieces of SQL (Kysely's `sql`) for the tags, `favorited` and
 * `following`. Values such as the reader's id still travel as parameters ($1), never in the SQL.
 */
function withColumns(articles: ReturnType<typeof articlesWithAuthors>, readerId: number | null) {
  return articles.select([
    'articles.slug',
    'articles.title',
    'articles.description',
    'articles.created_at',
    'articles.updated_at',
    'articles.favorites_count',
    'author.username',
    'author.bio',
    'author.image',
    tagNames('articles.id').as('tag_list'),
    favorited(readerId, 'articles.id').as('favorited'),
    following(readerId, 'author.id').as('following'),
  ])
}

type ArticleRow = Awaited<ReturnType<ReturnType<typeof withColumns>['executeTakeFirstOrThrow']>>

function toSummary(row: ArticleRow): ArticleSummary {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    favorited: row.favorited,
    favoritesCount: row.favorites_count,
    author: { username: row.username, bio: row.bio, image: row.image, following: row.following },
  }
}

/**
 * Articles in PostgreSQL, with their tags. A slug nobody has is a NotFoundError('article'); a
 * change to someone else's article is a ForbiddenError('article').
 */
export class ArticleStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * One page of the articles that match, newest first, and how many match in all. The filters
   * are `where`s on one query, so the page and the count always agree on what matches.
   */
  async list(
    filters: ArticleFilters,
    page: Page,
    readerId: number | null,
  ): Promise<{ articles: ArticleSummary[]; articlesCount: number }> {
    let matching = articlesWithAuthors(this.db)
    const { tag, author, favorited, followedBy } = filters
    if (author !== undefined) matching = matching.where('author.username', '=', author)
    if (tag !== undefined) {
      matching = matching.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('article_tags')
            .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
            .whereRef('article_tags.article_id', '=', 'articles.id')
            .where('tags.name', '=', tag),
        ),
      )
    }
    if (favorited !== undefined) {
      matching = matching.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('favorites')
            .innerJoin('users as fan', 'fan.id', 'favorites.user_id')
            .whereRef('favorites.article_id', '=', 'articles.id')
            .where('fan.username', '=', favorited),
        ),
      )
    }
    if (followedBy !== undefined) {
      matching = matching.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('follows')
            .whereRef('follows.followed_id', '=', 'articles.author_id')
            .where('follows.follower_id', '=', followedBy),
        ),
      )
    }
    const [rows, { count }] = await Promise.all([
      // Newest first: ids grow with time, and no two articles share one (a stable order).
      withColumns(matching, readerId)
        .orderBy('articles.id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      matching.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
    ])
    return { articles: rows.map(toSummary), articlesCount: Number(count) }
  }

  /** One article, whole, as the reader (null: a visitor) sees it. */
  async get(slug: string, readerId: number | null): Promise<Article> {
    const row = await withColumns(articlesWithAuthors(this.db), readerId)
      .select('articles.body')
      .where('articles.slug', '=', slug)
      .executeTakeFirst()
    if (!row) throw new NotFoundError('article')
    return { ...toSummary(row), body: row.body }
  }

  /** The article and its tags in one transaction: both are there, or (on an error) neither. */
  async create(authorId: number, article: NewArticle): Promise<Article> {
    const { title, description, body, tagList = [] } = article
    const slug = await this.db.transaction().execute(async (trx) => {
      const slug = await freeSlug(trx, title)
      const { id } = await trx
        .insertInto('articles')
        .values({ slug, title, description, body, author_id: authorId })
        .returning('id')
        .executeTakeFirstOrThrow()
      await setTags(trx, id, tagList)
      return slug
    })
    return this.get(slug, authorId)
  }

  /** Change the fields given, only if `userId` wrote the article. A new title, a new slug. */
  async update(slug: string, userId: number, changes: UpdateArticle): Promise<Article> {
    const { title, description, body, tagList } = changes
    const newSlug = await this.db.transaction().execute(async (trx) => {
      const article = await ownArticle(trx, slug, userId)
      const renamed = title !== undefined && title !== article.title
      const nextSlug = renamed ? await freeSlug(trx, title, article.id) : article.slug
      await trx
        .updateTable('articles')
        .set({ title, description, body, slug: nextSlug, updated_at: sql`now()` })
        .where('id', '=', article.id)
        .execute()
      if (tagList !== undefined) await setTags(trx, article.id, tagList)
      return nextSlug
    })
    return this.get(newSlug, userId)
  }

  /** Delete the article (its tags' links, favourites and comments go with it: `cascade`). */
  async delete(slug: string, userId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const article = await ownArticle(trx, slug, userId)
      await trx.deleteFrom('articles').where('id', '=', article.id).execute()
    })
  }
}

/** The id of the article with this slug, for the routes under it (comments, favourites). */
export async function findArticleId(db: Db, slug: string): Promise<number> {
  const article = await db
    .selectFrom('articles')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirst()
  if (!article) throw new NotFoundError('article')
  return article.id
}

/**
 * The article with this slug if `userId` wrote it, locked (`for update`) until the transaction
 * ends, so nobody changes it between this check and our write. 404 first, then 403: the
 * answer says it exists only after it is known to.
 */
async function ownArticle(trx: Transaction<Database>, slug: string, userId: number) {
  const article = await trx
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'author_id'])
    .where('slug', '=', slug)
    .forUpdate()
    .executeTakeFirst()
  if (!article) throw new NotFoundError('article')
  if (article.author_id !== userId) throw new ForbiddenError('article')
  return article
}

/**
 * A slug for this title that no other article has: the title's own, or (taken, or "feed") the
 * same with a random ending. Two writers racing for one new slug: the UNIQUE constraint lets
 * one win, and the other gets a 409.
 */
async function freeSlug(trx: Transaction<Database>, title: string, exceptId = 0) {
  const base = slugify(title)
  let slug = base
  for (let attempt = 1; attempt <= 5; attempt++) {
    const taken = await trx
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', slug)
      .where('id', '!=', exceptId)
      .executeTakeFirst()
    if (!taken && !isReserved(slug)) return slug
    slug = withRandomEnding(base)
  }
  throw new Error(`No free slug for "${base}" after 5 attempts.`)
}

/**
 * Give the article exactly these tags. New names join `tags` first: `on conflict do nothing`
 * keeps each name once, however many articles bring it at the same moment; in alphabetical
 * order, so two such transactions take their locks in one order and never wait for each other.
 */
async function setTags(trx: Transaction<Database>, articleId: number, tagList: string[]) {
  await trx.deleteFrom('article_tags').where('article_id', '=', articleId).execute()
  const names = [...new Set(tagList)].sort()
  if (names.length === 0) return
  await trx
    .insertInto('tags')
    .values(names.map((name) => ({ name })))
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute()
  const tags = await trx.selectFrom('tags').select('id').where('name', 'in', names).execute()
  await trx
    .insertInto('article_tags')
    .values(tags.map((tag) => ({ article_id: articleId, tag_id: tag.id })))
    .execute()
}
