import { ConfigError, ListenError, startServer } from '@kitchen/core'
import { buildApp } from './app.js'
import { readConfig } from './config.js'

try {
  // Read the configuration first: a bad setting stops here with a message, not a stack trace.
  const config = readConfig()

  const app = buildApp({
    logLevel: config.LOG_LEVEL,
    // Readable logs for a person at a terminal; JSON lines (for log tools) everywhere else.
    prettyLogs: config.NODE_ENV === 'development' && process.stdout.isTTY,
  })

  // startServer listens, and on Ctrl-C or SIGTERM lets requests in flight finish before closing.
  await startServer(app, { port: config.PORT, host: config.HOST })
} catch (error) {
  // Problems the person starting the server can fix get a message, not a stack trace.
  const known = [ConfigError, ListenError]
  if (!known.some((kind) => error instanceof kind)) throw error
  console.error((error as Error).message)
  process.exit(1)
}
