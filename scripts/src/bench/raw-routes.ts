/**
 * What the 'raw-pg' servers answer: a lesson's SQL sent by hand through a `pg.Pool`, and the
 * same JSON the lesson sends, with nothing else around it. A target picks its set of routes
 * with `raw` (targets.ts); each set is the SQL of one app, written out here.
 */

/** The parts of pg's Pool the raw routes use (the `pg` types live in the lessons, not here). */
export interface PgPool {
  query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  on(event: 'error', listener: (error: Error) => void): void
  end(): Promise<void>
}

/** An answer: its status and its JSON body. */
export interface RawAnswer {
  status: number
  body: unknown
}

/** Answers a GET to `url`, or undefined when no route of the set matches (a 404). */
export type RawRoutes = (url: URL, pool: PgPool) => Promise<RawAnswer | undefined>

/**
 * The SQL of the to-do lessons' GET /todos/:id (as Kysely writes it from lesson 08 on; lesson
 * 07's own SQL differs only by its quotes) and of the list with a limit.
 */
export const RAW_SQL = {
  one: 'select * from "todos" where "id" = $1',
  list: 'select * from "todos" order by "id" limit $1',
}

/**
 * The SQL the capstone's ArticleStore.list() sends for a visitor's GET /api/articles (no
 * filters): one page of articles with their authors and tags, and how many there are in all.
 * Kysely writes it; this is it word for word (bench.test.ts checks), whitespace aside.
 */
export const ARTICLE_SQL = {
  page:
    'select "articles"."slug", "articles"."title", "articles"."description", "articles"."created_at", ' +
    '"articles"."updated_at", "articles"."favorites_count", "author"."username", "author"."bio", ' +
    '"author"."image", array( select tags.name from article_tags join tags on tags.id = ' +
    'article_tags.tag_id where article_tags.article_id = "articles"."id" order by tags.name) as ' +
    '"tag_list", false as "favorited", false as "following" from "articles" inner join "users" as ' +
    '"author" on "author"."id" = "articles"."author_id" order by "articles"."id" desc limit $1 offset $2',
  count:
    'select count(*) as "count" from "articles" inner join "users" as "author" on "author"."id" = ' +
    '"articles"."author_id"',
}

/** The same to-do the lessons send: camelCase and an ISO date. */
function toTodo(row: Record<string, unknown>) {
  return {
    id: row.id,
    title: row.title,
    done: row.done,
    createdAt: (row.created_at as Date).toISOString(),
  }
}

/** The capstone's article summary (its toSummary in src/articles/store.ts). */
function toArticle(row: Record<string, unknown>) {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: (row.created_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
    favorited: row.favorited,
    favoritesCount: row.favorites_count,
    author: {
      username: row.username,
      bio: row.bio,
      image: row.image,
      following: row.following,
    },
  }
}

const notFound: RawAnswer = { status: 404, body: { statusCode: 404, message: 'Not Found' } }

/** A number from the query string, or `fallback` when it is not there. */
function numberParam(url: URL, name: string, fallback: number): number {
  return Number(url.searchParams.get(name) ?? fallback)
}

export const rawRoutes = {
  /** GET /todos/:id and GET /todos?limit=20 of the to-do lessons (07 on). */
  todos: async (url, pool) => {
    const one = /^\/todos\/(\d+)$/.exec(url.pathname)
    if (one) {
      const { rows } = await pool.query(RAW_SQL.one, [Number(one[1])])
      const row = rows[0]
      return row ? { status: 200, body: toTodo(row) } : notFound
    }
    if (url.pathname === '/todos') {
      const { rows } = await pool.query(RAW_SQL.list, [numberParam(url, 'limit', 20)])
      return { status: 200, body: rows.map(toTodo) }
    }
    return undefined
  },

  /** GET /api/articles of the capstone, as a visitor: both queries side by side, as it does. */
  articles: async (url, pool) => {
    if (url.pathname !== '/api/articles') return undefined
    const limit = numberParam(url, 'limit', 20)
    const offset = numberParam(url, 'offset', 0)
    const [page, total] = await Promise.all([
      pool.query(ARTICLE_SQL.page, [limit, offset]),
      pool.query(ARTICLE_SQL.count, []),
    ])
    return {
      status: 200,
      body: { articles: page.rows.map(toArticle), articlesCount: Number(total.rows[0]?.count) },
    }
  },
} satisfies Record<string, RawRoutes>

/** The name of a set of raw routes: 'todos' (the default) or 'articles'. */
export type RawRoutesName = keyof typeof rawRoutes
