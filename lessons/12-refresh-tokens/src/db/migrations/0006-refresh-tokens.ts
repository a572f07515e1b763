import { type Kysely, sql } from 'kysely'

/**
 * Refresh tokens: long-lived, and so kept in the database, where they can be taken back.
 * We store a hash of each token, never the token itself (see src/auth/refresh-tokens.ts).
 * A `family` is the chain of tokens that started with one log-in: each refresh uses one token
 * up (`used_at`) and adds the next. Log-out, or a token used twice, revokes the whole family
 * (`revoked_at`); the index on `family_id` makes that one quick update.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'integer', (column) =>
      column.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('family_id', 'uuid', (column) => column.notNull())
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('refresh_tokens_family_id_idx')
    .on('refresh_tokens')
    .column('family_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('refresh_tokens').execute()
}
