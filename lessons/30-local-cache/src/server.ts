import { DatabaseStartError, type ResolvedDatabase, resolveDatabaseUrl } from '@kitchen/db'
import { resolveRedisUrl, ServerStartError } from '@kitchen/servers'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { type Config, ConfigError, readConfig } from './config.js'
import { databaseName } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { shutdown } from './readiness.js'

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

// REDIS_URL (checked to answer), else the Redis of `pnpm redis`, started if need be. The app
// works without one, only slower, so a Redis we cannot reach is a warning, not a reason to stop.
const redis = await resolveRedisUrl({ env: { ...process.env, REDIS_URL: config.REDIS_URL } })
  .then(({ url }) => url)
  .catch((error) => {
    if (!(error instanceof ServerStartError)) throw error
    console.warn(`${error.message}\nStarting without it: Postgres answers everything, slower.`)
    return config.REDIS_URL // set: connect when it comes up
  })

const app = buildApp({
  databaseUrl: database.url,
  jwtSecret: config.JWT_SECRET,
  // The cookie travels over HTTPS only in production; on http://127.0.0.1 it could not.
  secureCookies: config.NODE_ENV === 'production',
  logLevel: config.LOG_LEVEL,
  logSql: config.LOG_SQL,
  corsOrigins: config.CORS_ORIGINS.split(',').filter(Boolean),
  redisUrl: redis,
  trustProxy: config.TRUST_PROXY,
  instance: config.INSTANCE,
  // Readable logs for a person at a terminal; JSON lines (for log tools) everywhere else.
  prettyLogs: config.NODE_ENV === 'development' && process.stdout.isTTY,
})

// Graceful shutdown. On SIGTERM (sent by `kill`, Docker, a process manager, src/stack.ts) or
// Ctrl-C: shutdown() in readiness.ts, which stops without failing a request, after DRAIN_SECONDS
// of /ready saying 503. After a crash: app.close() at once.
closeWithGrace({ delay: config.DRAIN_SECONDS * 1000 + 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'server closing after an error')
  else app.log.info({ signal }, 'server closing')
  await (err ? app.close() : shutdown(app, config.DRAIN_SECONDS))
  await database.embedded?.stop() // if this process started it
})

try {
  const address = await app.listen({ port: config.PORT, host: config.HOST })
  console.log(`Server ready at ${address}  (Ctrl-C to stop)`)
} catch (error) {
  // A port already taken is a common mistake: explain it in a sentence, not a stack trace.
  if ((error as { code?: string }).code !== 'EADDRINUSE') throw error
  console.error(
    `Port ${config.PORT} is already in use (another server is running there?). Stop it, or start this one on another port: PORT=${config.PORT + 1} ${process.env.KITCHEN_START_COMMAND ?? 'pnpm start'}`,
  )
  process.exit(1)
}
