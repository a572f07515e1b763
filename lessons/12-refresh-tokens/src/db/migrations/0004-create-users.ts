import { type Kysely, sql } from 'kysely'

/**
 * People who can sign up (and, from the next lesson, log in). The UNIQUE constraint on `email`
 * makes the database itself refuse a second account with the same address, even when two
 * sign-ups arrive at the same moment. We store a password *hash*, never the password.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (column) => column.notNull().unique())
    .addColumn('password_hash', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute()
}
