import { Server } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { type Kysely, sql } from 'kysely'
import { Type } from 'typebox'
import type { Cache } from './cache.js'
import type { Database } from './db/database.js'
import { errorReply } from './docs.js'
import { HttpError } from './error-handler.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** From now on, /ready answers 503: this copy is shutting down (see `shutdown` below). */
    drain(): void
  }
}

const alive = { response: { 200: Type.Object({ status: Type.String() }) } }
const ready = {
  response: {
    200: Type.Object({ status: Type.String(), database: Type.String(), redis: Type.String() }),
    503: errorReply('Not ready: shutting down (SHUTTING_DOWN), or no database (NOT_READY).'),
  },
}

/**
 * GET /health: is this process alive? If it answers, yes. GET /ready: can it serve requests?
 * Postgres answers, and it is not shutting down. An orchestrator restarts a copy whose /health
 * fails; a balancer sends requests only to the copies whose /ready answers 200.
 */
export function readiness(app: FastifyInstance, db: Kysely<Database>, cache: Cache) {
  let draining = false
  app.decorate('drain', () => {
    draining = true
  })
  // Once the copy has stopped listening (shutdown, below), each answer closes its connection.
  app.addHook('onSend', async (_request, reply) => {
    if (draining && !app.server.listening) reply.header('connection', 'close')
  })
  // In a plugin, so the routes are added once the documentation is listening (see app.ts).
  app.register(async (app) => {
    // No database here: a database outage must not get every healthy process restarted.
    app.get('/health', { schema: alive }, async () => ({ status: 'ok' }))
    app.get('/ready', { schema: ready }, async () => {
      if (draining) throw new HttpError(503, 'SHUTTING_DOWN', 'The server is shutting down: retry.')
      // At most a second: a check that hangs would tell a balancer nothing.
      const answered = sql`select 1`.execute(db).then(() => true)
      const timeUp = sleep(1000, false, { ref: false })
      if (!(await Promise.race([answered.catch(() => false), timeUp]))) {
        throw new HttpError(503, 'NOT_READY', 'The database does not answer: not ready to serve.')
      }
      // Without Redis we still serve everything, from Postgres (cache.ts): ready all the same.
      const pong = cache.redis && (await cache.run((redis) => redis.ping()))
      const redis = !cache.redis ? 'not configured' : pong ? 'ok' : 'down'
      return { status: 'ready', database: 'ok', redis }
    })
  })
}

/**
 * Stop without failing a request (server.ts, on SIGTERM): drain (`seconds` of /ready saying 503,
 * for the balancers that ask it), stop listening (NGINX then sends new requests to the other
 * copy, even a POST: nothing was sent), let the open connections end, then app.close().
 */
export async function shutdown(app: FastifyInstance, seconds: number): Promise<void> {
  app.log.info({ seconds }, 'draining: /ready answers 503')
  app.drain()
  await sleep(seconds * 1000)
  // net's close, not http's (app.server.close): that one would also cut the idle connections,
  // and NGINX may be sending a request on one of them at that very moment.
  const ended = new Promise((resolve) => Server.prototype.close.call(app.server, resolve))
  app.log.info('not listening any more: finishing the requests in flight')
  // NGINX closes its idle connections to us within 2 s (keepalive_timeout): after 3, app.close()
  // cuts whatever is left, such as a browser's idle connection.
  await Promise.race([ended, sleep(3000, null, { ref: false })])
  await app.close()
}
