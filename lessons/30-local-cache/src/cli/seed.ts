/** `pnpm lesson seed <lesson>`: add a sample user and their to-dos to this lesson's database. */
import { resolveDatabaseUrl } from '@kitchen/db'
import { createDatabase, databaseName } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { sampleUser, seed } from '../db/seed.js'

const database = await resolveDatabaseUrl({ database: databaseName })
const db = createDatabase(database.url, (error) => console.error(error.message))
try {
  await migrateToLatest(database.url)
  const added = await seed(db)
  console.log(added > 0 ? `Added ${added} sample to-dos.` : 'The sample to-dos are already there.')
  console.log(`Log in as ${sampleUser.email}, password "${sampleUser.password}", to see them.`)
} finally {
  await db.destroy()
  await database.embedded?.stop()
}
