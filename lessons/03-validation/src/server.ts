import { buildApp } from './app.js'

// Build the app, then listen: wait for requests on a port of this computer.
const app = buildApp()
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
})
console.log(`Server ready at ${address}  (Ctrl-C to stop)`)
