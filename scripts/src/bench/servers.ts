import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import type { ServerKind } from './targets.js'

/** A server listening on a port, and how to stop it. */
export interface Running {
  port: number
  close: () => Promise<void>
}

export interface ServerOptions {
  /** The lesson folder, for 'lesson' servers. */
  lessonDir?: string
}

/** How each kind of server starts. Runs in the child process (serve.ts), never next to autocannon. */
export const servers: Record<ServerKind, (options: ServerOptions) => Promise<Running>> = {
  'node-http': async () => {
    // The least a Node server can do: the same JSON body as the lessons' /health.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      response.end('{"status":"ok"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return {
      port: (server.address() as AddressInfo).port,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    }
  },

  lesson: async ({ lessonDir }) => {
    if (!lessonDir) throw new Error('a lesson server needs lessonDir')
    const module = (await import(pathToFileURL(`${lessonDir}/src/app.ts`).href)) as {
      buildApp: () => unknown
    }
    // buildApp's app is a Fastify instance; we only need listen/close from it.
    const app = (await module.buildApp()) as {
      listen: (options: { port: number; host: string }) => Promise<string>
      server: { address: () => AddressInfo }
      close: () => Promise<void>
    }
    await app.listen({ port: 0, host: '127.0.0.1' })
    return { port: app.server.address().port, close: () => app.close() }
  },
}
