import type { Kysely } from 'kysely'

/**
 * Who follows whom: one row per pair. The primary key makes a second follow of the same person
 * impossible; deleting a user deletes their follows (`cascade`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('follows')
    .addColumn('follower_id', 'integer', (column) =>
      column.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('followed_id', 'integer', (column) =>
      column.notNull().references('users.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('follows_pkey', ['follower_id', 'followed_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('follows').execute()
}
