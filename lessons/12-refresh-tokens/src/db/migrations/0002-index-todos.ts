import type { Kysely } from 'kysely'

/**
 * Indexes for the list query. Without them Postgres reads every row to find one page
 * ("Seq Scan" in EXPLAIN); with them it jumps straight to the first row of the page and reads
 * just `limit` rows in order ("Index Scan"). Each index ends with `id`, the tie-breaker of our
 * sort order, so the index order is exactly the page order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('todos_done_id_idx').on('todos').columns(['done', 'id']).execute()
  await db.schema.createIndex('todos_title_id_idx').on('todos').columns(['title', 'id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('todos_title_id_idx').execute()
  await db.schema.dropIndex('todos_done_id_idx').execute()
}
