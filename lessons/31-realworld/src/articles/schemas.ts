import { type Static, Type } from 'typebox'
import { ProfileSchema } from '../profiles/schemas.js'

/** Not blank: at least one character that is not a space. */
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' })
const TagList = Type.Array(Text(40), { maxItems: 20 })

/** `{ "article": { … } }`: title, description and body are required, tags are not. */
export const NewArticleSchema = Type.Object({
  article: Type.Object({
    title: Text(200),
    description: Text(1000),
    body: Text(100_000),
    tagList: Type.Optional(TagList),
  }),
})

/** Any of the fields; a new title gives a new slug. `tagList` replaces the tags. */
export const UpdateArticleSchema = Type.Object({
  article: Type.Object({
    title: Type.Optional(Text(200)),
    description: Type.Optional(Text(1000)),
    body: Type.Optional(Text(100_000)),
    tagList: Type.Optional(TagList),
  }),
})

const summary = {
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  tagList: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  /** Has the reader favourited it? (Always false for a visitor.) */
  favorited: Type.Boolean(),
  favoritesCount: Type.Integer(),
  author: ProfileSchema,
}

/** An article in a list: everything but the body (the spec dropped it from lists in 2024). */
export const ArticleSummarySchema = Type.Object(summary)
/** One article, whole. */
export const ArticleSchema = Type.Object({ ...summary, body: Type.String() })

const Page = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
}

/** GET /api/articles?tag=dragons&author=jake&favorited=ann&limit=20&offset=40 */
export const ListArticlesQuerySchema = Type.Object({
  tag: Type.Optional(Type.String({ maxLength: 100 })),
  author: Type.Optional(Type.String({ maxLength: 100 })),
  favorited: Type.Optional(Type.String({ maxLength: 100 })),
  ...Page,
})

/** GET /api/articles/feed?limit=20&offset=0 */
export const FeedQuerySchema = Type.Object(Page)

export const SlugParamsSchema = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) })

const SingleArticle = Type.Object({ article: ArticleSchema })
/** `articlesCount`: how many articles match in all, not how many are on this page. */
const MultipleArticles = Type.Object({
  articles: Type.Array(ArticleSummarySchema),
  articlesCount: Type.Integer(),
})

export const listArticles = {
  querystring: ListArticlesQuerySchema,
  response: { 200: MultipleArticles },
}
export const feedArticles = { querystring: FeedQuerySchema, response: { 200: MultipleArticles } }
export const getArticle = { params: SlugParamsSchema, response: { 200: SingleArticle } }
export const createArticle = { body: NewArticleSchema, response: { 201: SingleArticle } }
export const updateArticle = {
  params: SlugParamsSchema,
  body: UpdateArticleSchema,
  response: { 200: SingleArticle },
}
export const deleteArticle = { params: SlugParamsSchema }

export type Article = Static<typeof ArticleSchema>
export type ArticleSummary = Static<typeof ArticleSummarySchema>
export type NewArticle = Static<typeof NewArticleSchema>['article']
export type UpdateArticle = Static<typeof UpdateArticleSchema>['article']
export type ListArticlesQuery = Static<typeof ListArticlesQuerySchema>
