import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findNginx, type NginxConfig, type NginxServer, startNginx } from './nginx.js'
import { send } from './process.js'
import { findRedisServer, type RedisServer, startRedis } from './redis.js'

/** The bits of a tap test these helpers use: clean-up, and a plan of 0 to skip it. */
export interface TestLike {
  teardown(fn: () => unknown): void
  plan(count: number, comment?: string): void
}

/** The program is missing: the test has been marked skipped with this reason. Return at once. */
export interface Skipped {
  skip: string
}

/** A redis-server of this test's own, empty, stopped when the test ends. */
export interface PrivateTestRedis {
  url: string
  port: number
  shared: false
  /** Stop it: connections break and new ones are refused (ECONNREFUSED), "Redis is down". */
  stop(): Promise<void>
  /** Start it again on the same port, empty (it saves nothing). */
  start(): Promise<void>
  /** Freeze it (SIGSTOP): connections open, but nothing answers, like a hung machine. */
  pause(): void
  /** Thaw it (SIGCONT): everything waiting goes on. */
  resume(): void
}

/** Your REDIS_URL, used because no redis-server is installed: keep to keys of the test's own. */
export interface SharedTestRedis {
  url: string
  shared: true
}

export type TestRedis = PrivateTestRedis | SharedTestRedis

/**
 * A Redis for this test: a private redis-server on a free port (started in about 0.05 s), or,
 * without the program, your REDIS_URL. With neither, the test is marked SKIPPED with the reason
 * and how to install Redis, and `{ skip }` comes back:
 *   const redis = await testRedis(t)
 *   if ('skip' in redis) return
 * Call it before the test's first assertion (a skip is a plan of 0).
 */
export async function testRedis(t: TestLike): Promise<TestRedis | Skipped> {
  const found = findRedisServer()
  if ('reason' in found && process.env.REDIS_URL) {
    return { url: process.env.REDIS_URL, shared: true }
  }
  return privateTestRedis(t)
}

/**
 * A redis-server of this test's own, for tests about Redis going away (stop/start) or hanging
 * (pause/resume). Needs the program even when REDIS_URL is set (a test must not stop your
 * Redis); without it the test is marked SKIPPED with the reason.
 */
export async function privateTestRedis(t: TestLike): Promise<PrivateTestRedis | Skipped> {
  const found = findRedisServer()
  if ('reason' in found) {
    const note = process.env.REDIS_URL
      ? ' (REDIS_URL is set, but a test may not stop or pause a Redis it did not start.)'
      : ''
    return skip(t, `${found.reason}${note}`)
  }
  const dir = await mkdtemp(join(tmpdir(), 'kitchen-redis-'))
  let server: RedisServer | undefined
  const stop = async () => {
    const running = server
    server = undefined
    await running?.stop()
  }
  t.teardown(async () => {
    await stop()
    await rm(dir, { recursive: true, force: true })
  })
  server = await startRedis({ dir })
  const { url, port } = server
  return {
    url,
    port,
    shared: false,
    stop,
    start: async () => {
      server ??= await startRedis({ dir, port })
    },
    pause: () => {
      if (server) send(server.pid, 'SIGSTOP')
    },
    resume: () => {
      if (server) send(server.pid, 'SIGCONT')
    },
  }
}

/**
 * An nginx for this test, with your configuration (what goes inside `http { }`), stopped when
 * the test ends. Without nginx, the test is marked SKIPPED with the reason and `{ skip }` comes
 * back, as with testRedis:
 *   const nginx = await testNginx(t, (port) => `server { listen ${port}; … }`)
 *   if ('skip' in nginx) return
 */
export async function testNginx(t: TestLike, config: NginxConfig): Promise<NginxServer | Skipped> {
  const found = findNginx()
  if ('reason' in found) return skip(t, found.reason)
  const dir = await mkdtemp(join(tmpdir(), 'kitchen-nginx-'))
  let server: NginxServer | undefined
  t.teardown(async () => {
    await server?.stop()
    await rm(dir, { recursive: true, force: true })
  })
  server = await startNginx({ config, dir })
  return server
}

function skip(t: TestLike, reason: string): Skipped {
  t.plan(0, reason)
  return { skip: reason }
}
