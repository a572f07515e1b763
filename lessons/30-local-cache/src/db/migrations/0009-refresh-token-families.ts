import { type Kysely, sql } from 'kysely'

/**
 * A family: the tokens that descend from one log-in. Log-out, or a token used twice, revokes
 * one (`revoked_at`). Tokens from before this migration each make a family of their own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('refresh_tokens')
    .addColumn('family_id', 'uuid', (column) => column.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('refresh_tokens_family_id_idx')
    .on('refresh_tokens')
    .column('family_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('refresh_tokens_family_id_idx').execute()
  await db.schema
    .alterTable('refresh_tokens')
    .dropColumn('revoked_at')
    .dropColumn('family_id')
    .execute()
}
