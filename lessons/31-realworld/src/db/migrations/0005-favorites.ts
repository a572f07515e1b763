import type { Kysely } from 'kysely'

/** Who favourited which article: one row per pair, so nobody can favourite an article twice. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('favorites')
    .addColumn('user_id', 'integer', (column) =>
      column.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('article_id', 'integer', (column) =>
      column.notNull().references('articles.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('favorites_pkey', ['user_id', 'article_id'])
    .execute()
  // ?favorited=jake goes from the user (the primary key); deleting an article, from the article.
  await db.schema
    .createIndex('favorites_article_id_index')
    .on('favorites')
    .column('article_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('favorites').execute()
}
