import { startServer } from '@kitchen/core'
import { buildApp } from './app.js'

// Build the app, then listen: wait for requests on a port of this computer.
const app = buildApp()
await startServer(app, {
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
})
