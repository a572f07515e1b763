import type { Kysely } from 'kysely'
import { findArticleId } from '../articles/store.js'
import type { Database } from '../db/database.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import { following } from '../profiles/store.js'
import type { Comment } from './schemas.js'

/**
 * Comments under articles. An unknown slug is a NotFoundError('article'); an unknown comment
 * (or one under another article) a NotFoundError('comment'); someone else's a ForbiddenError.
 */
export class CommentStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The article's comments, newest first, as the reader (null: a visitor) sees their authors. */
  async list(slug: string, readerId: number | null): Promise<Comment[]> {
    const articleId = await findArticleId(this.db, slug)
    const rows = await this.select(readerId)
      .where('comments.article_id', '=', articleId)
      .orderBy('comments.id', 'desc')
      .execute()
    return rows.map(toComment)
  }

  async create(slug: string, authorId: number, body: string): Promise<Comment> {
    const articleId = await findArticleId(this.db, slug)
    const { id } = await this.db
      .insertInto('comments')
      .values({ body, article_id: articleId, author_id: authorId })
      .returning('id')
      .executeTakeFirstOrThrow()
    const row = await this.select(authorId).where('comments.id', '=', id).executeTakeFirstOrThrow()
    return toComment(row)
  }

  /** Delete a comment: only its author may. */
  async delete(slug: string, id: number, userId: number): Promise<void> {
    const articleId = await findArticleId(this.db, slug)
    const comment = await this.db
      .selectFrom('comments')
      .select('author_id')
      .where('id', '=', id)
      .where('article_id', '=', articleId)
      .executeTakeFirst()
    if (!comment) throw new NotFoundError('comment')
    if (comment.author_id !== userId) throw new ForbiddenError('comment')
    await this.db.deleteFrom('comments').where('id', '=', id).execute()
  }

  /** Comments with their authors, as the API shows them. */
  private select(readerId: number | null) {
    return this.db
      .selectFrom('comments')
      .innerJoin('users as author', 'author.id', 'comments.author_id')
      .select([
        'comments.id',
        'comments.body',
        'comments.created_at',
        'comments.updated_at',
        'author.username',
        'author.bio',
        'author.image',
      ])
      .select(following(readerId, 'author.id').as('following'))
  }
}

function toComment(row: {
  id: number
  body: string
  created_at: Date
  updated_at: Date
  username: string
  bio: string | null
  image: string | null
  following: boolean
}): Comment {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    body: row.body,
    author: { username: row.username, bio: row.bio, image: row.image, following: row.following },
  }
}
