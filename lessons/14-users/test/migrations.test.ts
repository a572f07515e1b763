import { testDatabase } from '@kitchen/db/testing'
import { sql } from 'kysely'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrate, migrateToLatest } from '../src/db/migrate.js'
import { migrations } from '../src/db/migrations/index.js'
import { sampleTodos, seed } from '../src/db/seed.js'

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

const allTables = ['lists', 'todos', 'users']

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
