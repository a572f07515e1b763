import { type Kysely, sql } from 'kysely'

/**
 * One step in the life of the schema: `up` takes it, `down` undoes it exactly. Once it has run
 * anywhere, never edit it; write a new one. Kysely<unknown>: it must outlive today's types.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('todos')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('done', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('todos').execute()
}
