/**
 * `pnpm lesson conformance` (`pnpm conformance` in this folder): start this app on a free port,
 * on a fresh database, and run the official RealWorld suite (a Postman collection) against it
 * with newman, which prints every request, every assertion and a summary. Exit code 1 when
 * anything failed. It runs under `with-test-database`, which provides a Postgres server.
 */
import { randomBytes } from 'node:crypto'
import { testDatabase } from '@kitchen/db/testing'
import { buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { collectionMissing, failuresOf, runOfficialSuite } from './official-suite.js'

if (collectionMissing) {
  console.error(`Cannot run the official suite: ${collectionMissing}.`)
  process.exit(1)
}

// A database of its own, dropped at the end: testDatabase wants somewhere to register that.
const cleanups: Array<() => unknown> = []
const databaseUrl = await testDatabase(
  { teardown: (cleanup) => cleanups.unshift(cleanup) },
  { migrate: migrateToLatest, template: false },
)
const app = buildApp({ databaseUrl, jwtSecret: randomBytes(32).toString('hex') })
let failures = 1
try {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  console.log(`The capstone is at ${address}/api, on a new database. Running the official suite:`)
  failures = failuresOf(await runOfficialSuite(`${address}/api`, ['cli'])).length
} finally {
  await app.close()
  for (const cleanup of cleanups) await cleanup()
}
console.log(failures === 0 ? 'Every request and every assertion passed.' : `${failures} failed.`)
process.exitCode = failures === 0 ? 0 : 1
