import { type Kysely, sql } from 'kysely'

/**
 * Articles. The slug is the article's address (/api/articles/how-to-train-your-dragon), so it is
 * UNIQUE. `favorites_count` is kept beside the article, so a list of twenty articles need not
 * count twenty sets of favourites; the CHECK makes a count below zero impossible.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('articles')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('slug', 'text', (column) => column.notNull().unique())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('description', 'text', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('author_id', 'integer', (column) =>
      column.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('favorites_count', 'integer', (column) =>
      column.notNull().defaultTo(0).check(sql`favorites_count >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute()
  // An author's articles (?author=jake, and the feed) without reading every article.
  await db.schema
    .createIndex('articles_author_id_index')
    .on('articles')
    .column('author_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('articles').execute()
}
