import type { Kysely } from 'kysely'

/**
 * Indexes for the list query. Without them Postgres reads every row to find one page (a "Seq
 * Scan" in EXPLAIN); with them it jumps to the page's first row and reads `limit` rows in order
 * (an "Index Scan"). Each ends with `id`, the sort's tie-breaker, so index order is page order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('todos_done_id_idx').on('todos').columns(['done', 'id']).execute()
  await db.schema.createIndex('todos_title_id_idx').on('todos').columns(['title', 'id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('todos_title_id_idx').execute()
  await db.schema.dropIndex('todos_done_id_idx').execute()
}
