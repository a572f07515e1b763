import { join } from 'node:path'
import t from 'tap'
import { findNginx } from '../src/nginx.js'
import { portAnswers } from '../src/ports.js'
import { findRedisServer } from '../src/redis.js'
import { pingRedis } from '../src/resp.js'
import { privateTestRedis, testNginx, testRedis } from '../src/testing.js'
import { envWith, run, type Teardown } from './helpers.js'

const redis = findRedisServer()
const needsRedis = { skip: 'reason' in redis && redis.reason }
const nginx = findNginx()
const needsNginx = { skip: 'reason' in nginx && nginx.reason }

/** Set environment variables for one test, restoring them afterwards. */
function setEnv(t: Teardown, values: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]))
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  apply(values)
  t.teardown(() => apply(saved))
}

t.test(
  'testRedis gives a test a Redis of its own, stopped when the test ends',
  needsRedis,
  async (t) => {
    let port = 0
    await t.test('uses Redis', async (t) => {
      const redis = await testRedis(t)
      if ('skip' in redis) return
      t.equal(redis.shared, false)
      port = redis.shared ? 0 : redis.port
      await t.resolves(pingRedis(redis.url))
    })
    t.not(port, 0)
    t.notOk(await portAnswers(port), 'stopped after its test')
  },
)

t.test(
  'a private test Redis can be stopped (Redis is down) and started again',
  needsRedis,
  async (t) => {
    const redis = await privateTestRedis(t)
    if ('skip' in redis) return
    await redis.stop()
    await t.rejects(pingRedis(redis.url), { code: 'ECONNREFUSED' })
    await redis.start()
    await t.resolves(pingRedis(redis.url), 'answers again, on the same port')
  },
)

t.test(
  'a private test Redis can be paused (nothing answers) and resumed',
  needsRedis,
  async (t) => {
    const redis = await privateTestRedis(t)
    if ('skip' in redis) return
    redis.pause()
    await t.rejects(pingRedis(redis.url, 500), { message: 'no answer within 500 ms' })
    redis.resume()
    await t.resolves(pingRedis(redis.url))
  },
)

t.test(
  'without redis-server, testRedis uses REDIS_URL (shared: keep to keys of your own)',
  async (t) => {
    setEnv(t, { REDIS_SERVER: '/nowhere/redis-server', REDIS_URL: 'redis://127.0.0.1:6379' })
    await t.test('uses Redis', async (t) => {
      t.same(await testRedis(t), { url: 'redis://127.0.0.1:6379', shared: true })
    })
  },
)

t.test(
  'without the programs or REDIS_URL, tests report themselves skipped, saying why',
  async (t) => {
    const fixture = join(import.meta.dirname, 'fixtures', 'skipped.ts')
    const { code, stdout } = await run(
      process.execPath,
      ['--import=tsx', fixture],
      envWith({ REDIS_SERVER: '/nowhere/redis-server', NGINX: '/nowhere/nginx' }),
    )
    t.equal(code, 0, stdout)
    t.match(
      stdout,
      /^ok 1 - uses Redis # SKIP REDIS_SERVER is "\/nowhere\/redis-server", which is not an executable file: .*apt-get install redis-server/m,
    )
    t.match(stdout, /^ok 2 - stops Redis # SKIP REDIS_SERVER is .*brew install redis/m)
    t.match(
      stdout,
      /^ok 3 - uses nginx # SKIP NGINX is "\/nowhere\/nginx", which is not an executable file: .*apt-get install nginx/m,
    )
    t.match(stdout, /^1\.\.3$/m)
    t.equal(stdout.match(/^ok \d+ - .* # SKIP /gm)?.length, 3, 'all three skipped, none failed')
  },
)

t.test('a private test Redis cannot be your REDIS_URL: the skip says so', async (t) => {
  setEnv(t, { REDIS_SERVER: '/nowhere/redis-server', REDIS_URL: 'redis://127.0.0.1:6379' })
  let result: unknown
  await t.test('stops Redis', async (t) => {
    result = await privateTestRedis(t)
  })
  t.match(result, {
    skip: /REDIS_URL is set, but a test may not stop or pause a Redis it did not start/,
  })
})

t.test(
  'testNginx gives a test an nginx of its own, stopped when the test ends',
  needsNginx,
  async (t) => {
    let port = 0
    await t.test('uses nginx', async (t) => {
      const nginx = await testNginx(
        t,
        (port) => `server { listen 127.0.0.1:${port}; return 200 "from nginx"; }`,
      )
      if ('skip' in nginx) return
      port = nginx.port
      t.equal(
        await (await fetch(nginx.url, { headers: { connection: 'close' } })).text(),
        'from nginx',
      )
    })
    t.not(port, 0)
    t.notOk(await portAnswers(port), 'stopped after its test')
  },
)
