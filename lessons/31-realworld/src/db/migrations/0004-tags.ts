import type { Kysely } from 'kysely'

/**
 * Tags, each name once, and which article has which tag: a many-to-many link, one row per
 * pair. Deleting an article deletes its links; the tag itself stays for other articles.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tags')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .execute()
  await db.schema
    .createTable('article_tags')
    .addColumn('article_id', 'integer', (column) =>
      column.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'integer', (column) =>
      column.notNull().references('tags.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('article_tags_pkey', ['article_id', 'tag_id'])
    .execute()
  // ?tag=dragons: from the tag to its articles (the primary key serves the other way round).
  await db.schema
    .createIndex('article_tags_tag_id_index')
    .on('article_tags')
    .column('tag_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('article_tags').execute()
  await db.schema.dropTable('tags').execute()
}
