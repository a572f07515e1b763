import { ConfigError, startServer } from '@kitchen/core'
import { buildApp } from './app.js'
import { readConfig } from './config.js'

// Read the configuration first: a bad setting stops here with a message, not a stack trace.
let config: ReturnType<typeof readConfig>
try {
  config = readConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

const app = buildApp({
  logLevel: config.LOG_LEVEL,
  // Readable logs for a person at a terminal; JSON lines (for log tools) everywhere else.
  prettyLogs: config.NODE_ENV === 'development' && process.stdout.isTTY,
})

// startServer listens, and on Ctrl-C or SIGTERM lets requests in flight finish before closing.
await startServer(app, { port: config.PORT, host: config.HOST })
