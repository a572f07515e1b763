import pg from 'pg'

/** Create the todos table if it is not there, at every start (lesson 09 brings migrations). */
export async function createSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const create = `create table if not exists todos (
    id integer primary key generated always as identity, title text not null,
    done boolean not null default false, created_at timestamptz not null default now())`
  await client.query(create).finally(() => client.end())
}
