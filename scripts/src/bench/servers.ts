import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { findRedisServer, freePort, type RedisServer, startRedis } from '@kitchen/servers'
import { type PgPool, type RawRoutesName, rawRoutes } from './raw-routes.js'
import type { ServerKind } from './targets.js'

/** A server listening on a port, and how to stop it. */
export interface Running {
  port: number
  close: () => Promise<void>
}

export interface ServerOptions {
  /** The lesson folder, for 'lesson' and 'raw-pg' servers. */
  lessonDir?: string
  /** The bench database, for targets with `database: true`. */
  databaseUrl?: string
  /** The secret that signs log-in tokens, for targets with `jwt: true` (lesson 15 on). */
  jwtSecret?: string
  /** For 'raw-pg' servers: which routes they answer (raw-routes.ts); 'todos' when left out. */
  raw?: RawRoutesName
}

/** The JWT_SECRET the bench's lesson servers sign tokens with (32 characters or more). */
export const BENCH_JWT_SECRET = 'a-secret-for-pnpm-bench-only-0123456789'

/** The pool size of the lessons' createDatabase(): the raw loop gets the same, to be fair. */
export const POOL_SIZE = 10

function listen(server: ReturnType<typeof createServer>, onClose?: () => Promise<void>) {
  return new Promise<Running>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: async () => {
          await new Promise<void>((closed) => server.close(() => closed()))
          await onClose?.()
        },
      }),
    ),
  )
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}

/**
 * A private redis-server for a lesson whose app caches in Redis (it has src/cache.ts), or
 * nothing: without redis-server the lesson runs as it does when Redis is down, from Postgres.
 */
async function redisFor(lessonDir: string): Promise<RedisServer | undefined> {
  if (!existsSync(join(lessonDir, 'src', 'cache.ts'))) return undefined
  if ('reason' in findRedisServer()) return undefined
  return startRedis({ dir: join(tmpdir(), `kitchen-bench-redis-${process.pid}`) })
}

/** How each kind of server starts. Runs in the child process (serve.ts), never next to autocannon. */
export const servers: Record<ServerKind, (options: ServerOptions) => Promise<Running>> = {
  'node-http': async () => {
    // The least a Node server can do: the same JSON body as the lessons' /health.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      response.end('{"status":"ok"}')
    })
    return listen(server)
  },

  lesson: async ({ lessonDir, databaseUrl, jwtSecret }) => {
    if (!lessonDir) throw new Error('a lesson server needs lessonDir')
    const module = (await import(pathToFileURL(`${lessonDir}/src/app.ts`).href)) as {
      buildApp: (options?: { databaseUrl?: string; jwtSecret?: string }) => unknown
    }
    // Lesson 26 on caches in Redis: a redis-server of the bench's own, when there is one.
    const redis = databaseUrl ? await redisFor(lessonDir) : undefined
    // Lessons 01 to 06 need no options; 07 on a databaseUrl; 15 on a jwtSecret too.
    const options = {
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(jwtSecret ? { jwtSecret } : {}),
      ...(redis ? { redisUrl: redis.url } : {}),
    }
    // buildApp's app is a Fastify instance; we only need listen/close from it.
    const app = (await module.buildApp(Object.keys(options).length ? options : undefined)) as {
      listen: (options: { port: number; host: string }) => Promise<string>
      server: { address: () => AddressInfo }
      close: () => Promise<void>
    }
    await app.listen({ port: 0, host: '127.0.0.1' })
    const close = async () => {
      await app.close()
      await redis?.stop()
    }
    return { port: app.server.address().port, close }
  },

  stack: async ({ lessonDir, databaseUrl, jwtSecret }) => {
    if (!lessonDir || !databaseUrl || !jwtSecret)
      throw new Error('a stack needs lessonDir, databaseUrl and jwtSecret')
    // `pnpm start` of the lesson: NGINX on PORT in front of two instances of src/server.ts.
    const redis = await redisFor(lessonDir)
    const port = await freePort()
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'silent', // as the one-instance row's app: no log line per request
      ...(redis ? { REDIS_URL: redis.url } : {}),
    }
    const stack = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), 'src/stack.ts'],
      {
        cwd: lessonDir,
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const exited = once(stack, 'exit')
    await new Promise<void>((ready, failed) => {
      createInterface({ input: stack.stdout }).on('line', (line) => {
        if (/^Stack ready at/.test(line)) ready()
      })
      exited.then(([code]) => failed(new Error(`src/stack.ts stopped (exit code ${code})`)))
    })
    const close = async () => {
      stack.kill('SIGTERM')
      await exited
      await redis?.stop()
    }
    return { port, close }
  },

  'raw-pg': async ({ lessonDir, databaseUrl, raw = 'todos' }) => {
    if (!lessonDir || !databaseUrl)
      throw new Error('a raw-pg server needs lessonDir and databaseUrl')
    // The lesson's own copy of the driver, so both sides of the comparison use the same `pg`.
    const pg = createRequire(join(lessonDir, 'package.json'))('pg') as {
      Pool: new (config: { connectionString: string; max: number }) => PgPool
    }
    const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE })
    pool.on('error', () => {})
    const routes = rawRoutes[raw]
    const server = createServer(async (request, response) => {
      try {
        const url = new URL(request.url ?? '/', 'http://localhost')
        const answer = request.method === 'GET' ? await routes(url, pool) : undefined
        if (!answer) return sendJson(response, 404, { statusCode: 404, message: 'Not Found' })
        sendJson(response, answer.status, answer.body)
      } catch (error) {
        sendJson(response, 500, { statusCode: 500, message: (error as Error).message })
      }
    })
    return listen(server, () => pool.end())
  },
}
