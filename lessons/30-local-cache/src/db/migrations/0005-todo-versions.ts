import type { Kysely } from 'kysely'

/** `version` counts a to-do's changes (see the store's update). Existing to-dos start at 1. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('todos')
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('todos').dropColumn('version').execute()
}
