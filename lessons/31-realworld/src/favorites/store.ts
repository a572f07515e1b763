import type { Kysely } from 'kysely'
import { findArticleId } from '../articles/store.js'
import type { Database } from '../db/database.js'

/**
 * Favourites, and the count kept beside each article. A favourite and its count change in one
 * transaction: both, or (on an error) neither, so the count never drifts from the rows.
 */
export class FavoriteStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Favourite an article. Twice is once: the primary key keeps one row, and one count. */
  async add(userId: number, slug: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const articleId = await findArticleId(trx, slug)
      const added = await trx
        .insertInto('favorites')
        .values({ user_id: userId, article_id: articleId })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst()
      if (added.numInsertedOrUpdatedRows === 0n) return // favourited already: nothing to count
      // `favorites_count + 1` is worked out by the database on the row as it is at that moment
      // (it waits for any other transaction changing it). Reading the count into JavaScript
      // and writing back count + 1 would lose one of two favourites made at the same time.
      await trx
        .updateTable('articles')
        .set((eb) => ({ favorites_count: eb('favorites_count', '+', 1) }))
        .where('id', '=', articleId)
        .execute()
    })
  }

  /** Unfavourite an article; not a favourite already is fine (nothing changes). */
  async remove(userId: number, slug: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const articleId = await findArticleId(trx, slug)
      const removed = await trx
        .deleteFrom('favorites')
        .where('user_id', '=', userId)
        .where('article_id', '=', articleId)
        .executeTakeFirst()
      if (removed.numDeletedRows === 0n) return
      await trx
        .updateTable('articles')
        .set((eb) => ({ favorites_count: eb('favorites_count', '-', 1) }))
        .where('id', '=', articleId)
        .execute()
    })
  }
}
