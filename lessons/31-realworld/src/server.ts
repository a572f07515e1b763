import { DatabaseStartError, type ResolvedDatabase, resolveDatabaseUrl } from '@kitchen/db'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { type Config, ConfigError, readConfig } from './config.js'
import { databaseName } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'

// Read the configuration first: a bad setting stops here with a message, not a stack trace.
let config: Config
let database: ResolvedDatabase
try {
  config = readConfig()
  database = await resolveDatabaseUrl({ database: databaseName }) // checks that it answers
  await migrateToLatest(database.url)
} catch (error) {
  const known = [ConfigError, DatabaseStartError]
  if (!known.some((kind) => error instanceof kind)) throw error
  console.error((error as Error).message)
  process.exit(1)
}

const app = buildApp({
  databaseUrl: database.url,
  jwtSecret: config.JWT_SECRET,
  logLevel: config.LOG_LEVEL,
  logSql: config.LOG_SQL,
  // Readable logs for a person at a terminal; JSON lines (for log tools) everywhere else.
  prettyLogs: config.NODE_ENV === 'development' && process.stdout.isTTY,
})

// Graceful shutdown: on Ctrl-C (SIGINT), SIGTERM (sent by `kill`, Docker, a process manager) or
// a crash, stop taking new requests, let the ones in flight finish (for up to 10 seconds), then
// run app.close(), which runs every onClose hook (such as closing a database pool).
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'server closing after an error')
  else app.log.info({ signal }, 'server closing')
  await app.close()
  await database.embedded?.stop() // if this process started it
})

try {
  const address = await app.listen({ port: config.PORT, host: config.HOST })
  console.log(`Server ready at ${address}, the API at ${address}/api  (Ctrl-C to stop)`)
} catch (error) {
  // A port already taken is a common mistake: explain it in a sentence, not a stack trace.
  if ((error as { code?: string }).code !== 'EADDRINUSE') throw error
  console.error(
    `Port ${config.PORT} is already in use (another server is running there?). Stop it, or start this one on another port: PORT=${config.PORT + 1} ${process.env.KITCHEN_START_COMMAND ?? 'pnpm start'}`,
  )
  process.exit(1)
}
