/** `pnpm lesson migrate <lesson> latest|up|down`: change this lesson's database schema by hand. */
import { resolveDatabaseUrl } from '@kitchen/db'
import { databaseName } from '../db/database.js'
import { type Direction, migrate } from '../db/migrate.js'

const direction = (process.argv[2] ?? 'latest') as Direction
if (!['latest', 'up', 'down'].includes(direction)) {
  console.error(`Unknown direction "${direction}": use latest, up or down.`)
  process.exit(1)
}

const database = await resolveDatabaseUrl({ database: databaseName })
try {
  const results = await migrate(database.url, direction)
  if (results.length === 0) console.log('Nothing to do.')
  for (const { direction, migrationName } of results) {
    console.log(`${direction === 'Up' ? 'applied' : 'undone'}: ${migrationName}`)
  }
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await database.embedded?.stop()
}
