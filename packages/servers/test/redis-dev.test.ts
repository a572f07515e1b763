import { existsSync } from 'node:fs'
import t from 'tap'
import { freePort } from '../src/ports.js'
import { send } from '../src/process.js'
import { findRedisServer } from '../src/redis.js'
import {
  redisDevLocation,
  redisDevStatus,
  resolveRedisUrl,
  startRedisDev,
  stopRedisDev,
} from '../src/redis-dev.js'
import { pingRedis } from '../src/resp.js'
import { privateTestRedis } from '../src/testing.js'
import { envWith, gone, pnpmRedis, type Teardown, tempFolder } from './helpers.js'

const redis = findRedisServer()
const needsRedis = { skip: 'reason' in redis && redis.reason }

/** The settings for a dev server of the test's own: a folder and a port, stopped afterwards. */
async function devEnv(t: Teardown): Promise<NodeJS.ProcessEnv> {
  const env = envWith({
    KITCHEN_REDIS_DIR: await tempFolder(t),
    KITCHEN_REDIS_PORT: String(await freePort()),
  })
  t.teardown(() => stopRedisDev(env))
  return env
}

t.test('the dev server lives in .kitchen/redis on port 63790 unless told otherwise', async (t) => {
  const location = redisDevLocation({})
  t.match(location.dir, /[/\\]\.kitchen[/\\]redis$/)
  t.equal(location.port, 63790)
  t.match(location.stateFile, /redis\.json$/)
  t.match(location.logFile, /redis\.log$/)
  t.throws(() => redisDevLocation({ KITCHEN_REDIS_PORT: 'six' }), {
    message: 'KITCHEN_REDIS_PORT must be a port number from 1 to 65535 (got "six").',
  })
})

t.test(
  'pnpm redis start leaves Redis running after it ends, and pnpm redis stop ends it',
  needsRedis,
  async (t) => {
    const env = await devEnv(t)
    const started = await pnpmRedis(['start'], env)
    t.equal(started.code, 0, started.stderr)
    t.match(
      started.stdout,
      /^Redis is running in the background \(stop it with: pnpm redis stop\)\./,
    )
    t.match(started.stdout, `URL:   redis://127.0.0.1:${env.KITCHEN_REDIS_PORT}`)

    const status = await redisDevStatus(env)
    t.equal(status.running, true, 'still running after the command ended')
    t.ok(existsSync(status.stateFile), 'its PID and port are in redis.json')
    await t.resolves(pingRedis(status.url))

    const again = await pnpmRedis(['status'], env)
    t.match(again.stdout, `Redis is running (PID ${status.pid}).`)

    const stopped = await pnpmRedis(['stop'], env)
    t.equal(stopped.stdout, `Stopped Redis (PID ${status.pid}).\n`)
    t.ok(await gone(status.pid ?? 0), 'the process has gone')
    t.notOk(existsSync(status.stateFile))
  },
)

t.test(
  'with REDIS_URL set, pnpm redis reports that Redis and has nothing to start',
  needsRedis,
  async (t) => {
    const yours = await privateTestRedis(t)
    if ('skip' in yours) return
    const env = { ...(await devEnv(t)), REDIS_URL: yours.url }
    const status = await pnpmRedis(['status'], env)
    t.equal(
      status.stdout,
      `REDIS_URL is set: the lessons use the Redis at ${yours.url}. It answers PING.\n`,
    )
    const start = await pnpmRedis(['start'], env)
    t.equal(
      start.stdout,
      `REDIS_URL is set (${yours.url}), so the lessons use that Redis: there is nothing to start.\n`,
    )
    t.equal((await redisDevStatus(env)).running, false, 'nothing was started')
  },
)

t.test('a state file left by a server that was killed is cleaned up', needsRedis, async (t) => {
  const env = await devEnv(t)
  const { status } = await startRedisDev(env)
  send(status.pid ?? 0, 'SIGKILL')
  t.ok(await gone(status.pid ?? 0))
  const after = await redisDevStatus(env)
  t.equal(after.running, false)
  t.notOk(existsSync(after.stateFile), 'redis.json is removed')
  // On a port picked again: the killed server's port is free for anybody meanwhile, and other
  // tests running beside this one pick free ports too.
  const restarted = await startRedisDev({ ...env, KITCHEN_REDIS_PORT: String(await freePort()) })
  t.equal(restarted.started, true, 'and the next start starts a new one')
})

t.test('resolveRedisUrl starts the dev server once, then reuses it', needsRedis, async (t) => {
  const env = await devEnv(t)
  const lines: string[] = []
  const log = (line: string) => lines.push(line)
  const first = await resolveRedisUrl({ env, log })
  t.same(first, { url: `redis://127.0.0.1:${env.KITCHEN_REDIS_PORT}`, source: 'dev' })
  t.same(lines, [
    `Started Redis in the background on port ${env.KITCHEN_REDIS_PORT} (stop it with: pnpm redis stop).`,
  ])
  t.same(await resolveRedisUrl({ env, log }), first)
  t.equal(lines.length, 1, 'the second time it was running already')
})

t.test(
  'resolveRedisUrl uses REDIS_URL, and one that does not answer is one sentence',
  async (t) => {
    const port = await freePort()
    const env = envWith({ REDIS_URL: `redis://:secret@127.0.0.1:${port}` })
    await t.rejects(resolveRedisUrl({ env, log: () => {} }), {
      name: 'ServerStartError',
      message: `Cannot reach Redis at redis://:***@127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}). Is it running? Check REDIS_URL, or unset it to use the one \`pnpm redis start\` runs.`,
    })
    t.same(await resolveRedisUrl({ env, check: false }), {
      url: env.REDIS_URL,
      source: 'REDIS_URL',
    })
  },
)

t.test(
  'without redis-server, the dev server cannot start and says how to install it',
  async (t) => {
    const env = envWith({
      KITCHEN_REDIS_DIR: await tempFolder(t),
      KITCHEN_REDIS_PORT: String(await freePort()),
      REDIS_SERVER: '/nowhere/redis-server',
    })
    const result = await pnpmRedis(['start'], env)
    t.equal(result.code, 1)
    t.match(
      result.stderr,
      /^REDIS_SERVER is "\/nowhere\/redis-server", which is not an executable file: .*apt-get install redis-server/,
    )
  },
)
