import { testDatabase } from '@kitchen/db/testing'
import { sql } from 'kysely'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrate, migrateToLatest } from '../src/db/migrate.js'
import { migrations } from '../src/db/migrations/index.js'
import { sampleTodos, sampleUser, seed } from '../src/db/seed.js'
import { anonymousAppForTest } from './helpers.js'

/** The tables in a database, apart from Kysely's own bookkeeping. */
async function tables(databaseUrl: string): Promise<string[]> {
  const db = createDatabase(databaseUrl, () => {})
  try {
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_name not like 'kysely_%'
      order by table_name`.execute(db)
    return rows.map((row) => row.name)
  } finally {
    await db.destroy()
  }
}

const allTables = ['lists', 'refresh_tokens', 'todos', 'users']

t.test('every migration runs up, all the way down, and up again', async (t) => {
  const databaseUrl = await testDatabase(t) // empty: no migrations yet
  const count = Object.keys(migrations).length

  const up = await migrate(databaseUrl, 'latest')
  t.equal(up.length, count, 'all migrations applied')
  t.ok(up.every((result) => result.status === 'Success'))
  t.same(await tables(databaseUrl), allTables)

  for (let step = 0; step < count; step++) {
    const [down] = await migrate(databaseUrl, 'down')
    t.equal(down?.status, 'Success', `undid ${down?.migrationName}`)
  }
  t.same(await tables(databaseUrl), [], 'nothing is left after all downs')

  const again = await migrate(databaseUrl, 'latest')
  t.equal(again.length, count, 'and they apply again')
  t.same(await tables(databaseUrl), allTables)
})

t.test('migrating an up-to-date database does nothing', async (t) => {
  const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
  t.same(await migrate(databaseUrl, 'latest'), [])
})

t.test('up and down move one migration at a time', async (t) => {
  const databaseUrl = await testDatabase(t)
  const [first] = await migrate(databaseUrl, 'up')
  t.equal(first?.migrationName, '0001-create-todos')
  t.equal(first?.direction, 'Up')
  const [undone] = await migrate(databaseUrl, 'down')
  t.equal(undone?.migrationName, '0001-create-todos')
  t.equal(undone?.direction, 'Down')
})

t.test('the seed adds the sample to-dos once, however often it runs', async (t) => {
  const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  t.equal(await seed(db), sampleTodos.length)
  t.equal(await seed(db), 0)
  const rows = await db.selectFrom('todos').select(['title', 'done']).orderBy('id').execute()
  t.same(rows, sampleTodos)
})

/** The columns of one table, in order. */
async function columns(databaseUrl: string, table: string): Promise<string[]> {
  const db = createDatabase(databaseUrl, () => {})
  try {
    const { rows } = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = ${table}
      order by ordinal_position`.execute(db)
    return rows.map((row) => row.name)
  } finally {
    await db.destroy()
  }
}

/** Apply migrations one at a time, up to and including the one named. */
async function migrateUpTo(databaseUrl: string, name: string): Promise<void> {
  for (const next of Object.keys(migrations)) {
    await migrate(databaseUrl, 'up')
    if (next === name) return
  }
}

t.test('0007-owners keeps older rows, without an owner, and undoes cleanly', async (t) => {
  const databaseUrl = await testDatabase(t)
  await migrateUpTo(databaseUrl, '0006-create-users')
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  await sql`insert into todos (title) values ('From before')`.execute(db)
  const todoColumns = await columns(databaseUrl, 'todos')

  const [owners] = await migrate(databaseUrl, 'up')
  t.equal(owners?.migrationName, '0007-owners')
  t.same(await db.selectFrom('todos').select(['title', 'user_id']).execute(), [
    { title: 'From before', user_id: null },
  ])
  t.same(await columns(databaseUrl, 'lists'), ['id', 'name', 'user_id'])

  await migrate(databaseUrl, 'down')
  t.same(await columns(databaseUrl, 'todos'), todoColumns)
  t.same(await columns(databaseUrl, 'lists'), ['id', 'name'])
  t.equal((await db.selectFrom('todos').select('title').execute()).length, 1, 'the row stays')
})

t.test('list names are unique per user; the down puts the app-wide rule back', async (t) => {
  const databaseUrl = await testDatabase(t)
  await migrateUpTo(databaseUrl, '0007-owners')
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  const users = await db
    .insertInto('users')
    .values([
      { email: 'ann@x.org', password_hash: 'x' },
      { email: 'bob@x.org', password_hash: 'x' },
    ])
    .returning('id')
    .execute()
  const [ann = 0, bob = 0] = users.map((user) => user.id)
  await db
    .insertInto('lists')
    .values([
      { name: 'Shopping', user_id: ann },
      { name: 'Shopping', user_id: bob },
    ])
    .execute()
  await t.rejects(
    db.insertInto('lists').values({ name: 'Shopping', user_id: ann }).execute(),
    { code: '23505' },
    'but not twice for one user',
  )

  // Back to one name for everybody: impossible while two lists share it, so nothing changes.
  await t.rejects(migrate(databaseUrl, 'down'), { code: '23505' })
  t.same(await columns(databaseUrl, 'lists'), ['id', 'name', 'user_id'])

  await db.deleteFrom('lists').where('user_id', '=', bob).execute()
  const [undone] = await migrate(databaseUrl, 'down')
  t.equal(undone?.migrationName, '0007-owners')
  await t.rejects(
    sql`insert into lists (name) values ('Shopping')`.execute(db),
    { code: '23505' },
    'a name is unique in the whole app again',
  )
})

t.test('the sample to-dos belong to the sample user, who can log in', async (t) => {
  const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  await seed(db)
  const app = await anonymousAppForTest(t, { databaseUrl })
  const login = await app.inject({ method: 'POST', url: '/auth/login', payload: sampleUser })
  t.equal(login.statusCode, 200)
  const todos = await app.inject({
    method: 'GET',
    url: '/todos',
    headers: { authorization: `Bearer ${login.json().accessToken}` },
  })
  t.same(
    todos.json().map((todo: { title: string }) => todo.title),
    sampleTodos.map((todo) => todo.title),
  )
})

t.test('0009 gives each refresh token from before a family of its own, and undoes', async (t) => {
  const databaseUrl = await testDatabase(t)
  await migrateUpTo(databaseUrl, '0008-refresh-tokens')
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  const user = await db
    .insertInto('users')
    .values({ email: 'ann@x.org', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const expires_at = new Date(Date.now() + 60_000)
  await db
    .insertInto('refresh_tokens')
    .values([
      { user_id: user.id, token_hash: 'a', expires_at },
      { user_id: user.id, token_hash: 'b', expires_at },
    ])
    .execute()
  const before = await columns(databaseUrl, 'refresh_tokens')

  const [families] = await migrate(databaseUrl, 'up')
  t.equal(families?.migrationName, '0009-refresh-token-families')
  const rows = await db.selectFrom('refresh_tokens').select(['family_id', 'revoked_at']).execute()
  t.equal(new Set(rows.map((row) => row.family_id)).size, 2, 'a family each')
  t.ok(
    rows.every((row) => row.revoked_at === null),
    'none revoked',
  )

  await migrate(databaseUrl, 'down')
  t.same(await columns(databaseUrl, 'refresh_tokens'), before)
  t.equal((await db.selectFrom('refresh_tokens').select('id').execute()).length, 2, 'rows stay')
})
