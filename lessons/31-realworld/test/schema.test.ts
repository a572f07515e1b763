import { testDatabase } from '@kitchen/db/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { migrate, migrateToLatest } from '../src/db/migrate.js'
import { migrations } from '../src/db/migrations/index.js'
import { sampleArticles, seed } from '../src/db/seed.js'

// The schema: migrations that go up and down again (lesson 09), and the sample data.

const names = Object.keys(migrations)

t.test('every migration can be undone, and done again', async (t) => {
  const databaseUrl = await testDatabase(t)
  const up = await migrate(databaseUrl, 'latest')
  t.same(
    up.map((result) => result.migrationName),
    names,
  )
  for (const name of [...names].reverse()) {
    const [undone] = await migrate(databaseUrl, 'down')
    t.equal(undone?.migrationName, name, `undone: ${name}`)
  }
  const again = await migrate(databaseUrl, 'latest')
  t.equal(again.length, names.length)
})

t.test('seeding adds the sample user and articles once', async (t) => {
  const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
  const db = createDatabase(databaseUrl, () => {})
  t.teardown(() => db.destroy())
  t.equal(await seed(db), sampleArticles.length)
  t.equal(await seed(db), 0, 'a second run adds nothing')
  const titles = await db.selectFrom('articles').select('title').orderBy('id').execute()
  t.same(
    titles.map((row) => row.title),
    sampleArticles.map((article) => article.title),
  )
})
