import { type Kysely, sql } from 'kysely'

/**
 * Lists group to-dos, and constraints make the database itself refuse bad data, whatever code
 * sends it: two lists with one name (UNIQUE), a to-do in a list that does not exist (FOREIGN
 * KEY), a list deleted while to-dos are in it (ON DELETE RESTRICT).
 * `version` counts the changes of a to-do, for optimistic concurrency (see the store).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lists')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .alterTable('todos')
    .addColumn('list_id', 'integer', (column) => column.references('lists.id').onDelete('restrict'))
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('todos_list_id_idx').on('todos').column('list_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('todos').dropColumn('version').dropColumn('list_id').execute()
  await db.schema.dropTable('lists').execute()
}
