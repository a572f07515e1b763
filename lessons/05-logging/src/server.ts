import type { LogLevel } from 'fastify'
import { buildApp } from './app.js'

const app = buildApp({
  // How much to log: LOG_LEVEL=warn keeps everyday request lines out, 'debug' lets more in.
  logLevel: (process.env.LOG_LEVEL ?? 'info') as LogLevel,
  // Readable logs for a person at a terminal; JSON lines (for log tools) everywhere else.
  prettyLogs: process.stdout.isTTY,
})

// Listen: wait for requests on a port of this computer.
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
})
console.log(`Server ready at ${address}  (Ctrl-C to stop)`)
