import type { Kysely } from 'kysely'

/**
 * Every to-do and every list gets an owner: the user who made it. Deleting a user deletes
 * what they owned too (ON DELETE CASCADE): nobody else could ever see it again anyway.
 *
 * `user_id` may be NULL so that the migration works on a database that already has rows:
 * to-dos and lists from before this step have no owner, so no user sees them. (Giving them
 * to somebody would be a guess; a guess could show one person's data to another.)
 *
 * A list name is now unique per user, not in the whole app: Ann and Bob may each have a
 * list called "Shopping". The index on (user_id, id) serves "my to-dos, in id order", the
 * query every page of GET /todos runs now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('todos')
    .addColumn('user_id', 'integer', (column) => column.references('users.id').onDelete('cascade'))
    .execute()
  await db.schema
    .alterTable('lists')
    .addColumn('user_id', 'integer', (column) => column.references('users.id').onDelete('cascade'))
    .execute()
  await db.schema
    .createIndex('todos_user_id_id_idx')
    .on('todos')
    .columns(['user_id', 'id'])
    .execute()
  await db.schema.alterTable('lists').dropConstraint('lists_name_key').execute()
  await db.schema
    .alterTable('lists')
    .addUniqueConstraint('lists_user_id_name_key', ['user_id', 'name'])
    .execute()
}

/**
 * Undo it. Putting back the app-wide unique name fails (and the whole down is rolled back)
 * when two users have lists with the same name: a down migration must not choose whose
 * list to rename or lose.
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('lists').dropConstraint('lists_user_id_name_key').execute()
  await db.schema.alterTable('lists').addUniqueConstraint('lists_name_key', ['name']).execute()
  await db.schema.dropIndex('todos_user_id_id_idx').execute()
  await db.schema.alterTable('lists').dropColumn('user_id').execute()
  await db.schema.alterTable('todos').dropColumn('user_id').execute()
}
