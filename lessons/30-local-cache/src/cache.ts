import type { FastifyBaseLogger } from 'fastify'
import { Redis } from 'ioredis'

/**
 * Redis, for what is quicker there than in Postgres, or must be shared by every copy of the app.
 * Any command may fail (Redis is down, or hangs): `run` then answers undefined, and the caller
 * does without, from Postgres or memory. The log says when Redis goes and when it is back: once
 * each, not once a request. Without a URL there is no Redis: every `run` answers undefined.
 */
export class Cache {
  readonly redis: Redis | undefined
  private down = false

  constructor(
    readonly log: FastifyBaseLogger,
    url?: string,
    keyPrefix?: string,
  ) {
    // Fail fast: while disconnected a command fails at once; one that hangs, after 0.25 s.
    const failFast = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250 }
    // Commands sent in the same tick go out together, in one write: one round trip, not two.
    const pipelined = { enableAutoPipelining: true }
    // lazyConnect: app.ts connects before the first request (later, ioredis reconnects by itself).
    this.redis = url
      ? new Redis(url, { ...failFast, ...pipelined, lazyConnect: true, keyPrefix })
      : undefined
    this.redis?.on('error', (error) => this.wentDown(error)) // also at every failed reconnection
  }

  /** Run Redis commands; undefined when there is no Redis or it failed. */
  async run<T>(commands: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    if (!this.redis) return undefined
    try {
      const result = await commands(this.redis)
      if (this.down) this.log.info('Redis is back: using it again')
      this.down = false
      return result
    } catch (error) {
      this.wentDown(error)
      return undefined
    }
  }

  private wentDown(error: unknown): void {
    const reason = String(error) // its message: the stack would say nothing more
    if (!this.down) this.log.warn({ reason }, 'Redis is down: answering from Postgres, slower')
    this.down = true
  }
}
