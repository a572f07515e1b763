import type { Kysely } from 'kysely'

/**
 * A to-do may be in a list. The foreign key refuses a list that does not exist, and (RESTRICT)
 * deleting a list with to-dos in it. Postgres does not index a foreign key by itself: without
 * the index, deleting a list would read every to-do to look for references.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('todos')
    .addColumn('list_id', 'integer', (column) => column.references('lists.id').onDelete('restrict'))
    .execute()
  await db.schema.createIndex('todos_list_id_idx').on('todos').column('list_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('todos').dropColumn('list_id').execute()
}
