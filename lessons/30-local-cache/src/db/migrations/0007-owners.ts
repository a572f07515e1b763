import { type Kysely, sql } from 'kysely'

/**
 * Every to-do and list gets an owner (deleting a user deletes what they owned), NULL for rows
 * from before: nobody sees those. A list name is unique per user now, not in the whole app,
 * and a to-do can only be in a list of its own owner: the foreign key checks both columns.
 * Plain SQL, as in lesson 07: a few `alter table`s read best that way.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table todos add column user_id integer references users on delete cascade;
    alter table lists add column user_id integer references users on delete cascade;
    create index todos_user_id_id_idx on todos (user_id, id);
    alter table lists drop constraint lists_name_key,
      add constraint lists_user_id_name_key unique (user_id, name),
      add constraint lists_id_user_id_key unique (id, user_id);
    alter table todos drop constraint todos_list_id_fkey,
      add constraint todos_list_owner_fkey foreign key (list_id, user_id)
        references lists (id, user_id) on delete restrict;
  `.execute(db)
}

/** Fails (and changes nothing) when two users have lists of one name: it must not pick one. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table todos drop constraint todos_list_owner_fkey,
      add constraint todos_list_id_fkey foreign key (list_id) references lists on delete restrict;
    alter table lists drop constraint lists_id_user_id_key, drop constraint lists_user_id_name_key,
      add constraint lists_name_key unique (name);
    drop index todos_user_id_id_idx;
    alter table lists drop column user_id;
    alter table todos drop column user_id;
  `.execute(db)
}
