import { ConfigError, startServer } from '@kitchen/core'
import {
  checkDatabaseReachable,
  DatabaseUnreachableError,
  EmbeddedPostgresError,
  resolveDatabaseUrl,
} from '@kitchen/db'
import { buildApp } from './app.js'
import { readConfig } from './config.js'
import { databaseName } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'

try {
  // Read the configuration first: a bad setting stops here with a message, not a stack trace.
  const config = readConfig()

  // DATABASE_URL when it is set; otherwise start (or reuse) the embedded Postgres.
  const database = await resolveDatabaseUrl({ database: databaseName })
  await checkDatabaseReachable(database.url)
  await migrateToLatest(database.url)

  const app = buildApp({
    databaseUrl: database.url,
    jwtSecret: config.JWT_SECRET,
    // Cookies travel over HTTPS only in production; on http://127.0.0.1 they could not.
    secureCookies: config.NODE_ENV === 'production',
    logLevel: config.LOG_LEVEL,
    // Readable logs for a person at a terminal; JSON lines (for log tools) everywhere else.
    prettyLogs: config.NODE_ENV === 'development' && process.stdout.isTTY,
  })

  // startServer listens, and on Ctrl-C or SIGTERM lets requests in flight finish before closing.
  // Then it stops the embedded database, if this process started it.
  await startServer(app, {
    port: config.PORT,
    host: config.HOST,
    afterClose: async () => database.embedded?.stop(),
  })
} catch (error) {
  // Problems the person starting the server can fix get a message, not a stack trace.
  const known = [ConfigError, DatabaseUnreachableError, EmbeddedPostgresError]
  if (!known.some((kind) => error instanceof kind)) throw error
  console.error((error as Error).message)
  process.exit(1)
}
