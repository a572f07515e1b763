import { type Kysely, sql } from 'kysely'

/**
 * A migration is one step in the life of the schema. `up` takes the step, `down` undoes it
 * exactly, so any change can be rolled back. Once a migration has run anywhere, never edit it:
 * write a new one. (Migrations use Kysely<unknown>, not our Database type, because they must
 * keep working as the schema they describe changes later.)
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
