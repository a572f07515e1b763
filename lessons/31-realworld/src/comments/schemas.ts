import { type Static, Type } from 'typebox'
import { SlugParamsSchema } from '../articles/schemas.js'
import { ProfileSchema } from '../profiles/schemas.js'

/** `{ "comment": { "body": "…" } }`: not blank. */
export const NewCommentSchema = Type.Object({
  comment: Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' }) }),
})

export const CommentSchema = Type.Object({
  id: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  body: Type.String(),
  author: ProfileSchema,
})

/** /api/articles/:slug/comments/:id: the id arrives as text, and must be a whole number. */
export const CommentParamsSchema = Type.Object({
  slug: SlugParamsSchema.properties.slug,
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
})

export const listComments = {
  params: SlugParamsSchema,
  response: { 200: Type.Object({ comments: Type.Array(CommentSchema) }) },
}
export const createComment = {
  params: SlugParamsSchema,
  body: NewCommentSchema,
  response: { 201: Type.Object({ comment: CommentSchema }) },
}
export const deleteComment = { params: CommentParamsSchema }

export type Comment = Static<typeof CommentSchema>
