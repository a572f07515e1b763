import { createServer } from 'node:net'
import t from 'tap'
import { freePort } from '../src/ports.js'
import { isAlive } from '../src/process.js'
import { findRedisServer, startRedis } from '../src/redis.js'
import { encodeCommand, maskPassword, parseRedisUrl, pingRedis } from '../src/resp.js'
import { tempFolder } from './helpers.js'

const redis = findRedisServer()
const needsRedis = { skip: 'reason' in redis && redis.reason }

t.test(
  'startRedis starts a redis-server that answers PING, and stop() ends it',
  needsRedis,
  async (t) => {
    const server = await startRedis({ dir: await tempFolder(t) })
    t.teardown(() => server.stop())
    t.match(server.url, /^redis:\/\/127\.0\.0\.1:\d+$/)
    t.equal(server.url, `redis://127.0.0.1:${server.port}`)
    await t.resolves(pingRedis(server.url), 'PONG')

    await server.stop()
    t.notOk(isAlive(server.pid), 'the process has gone')
    await t.rejects(pingRedis(server.url), { code: 'ECONNREFUSED' })
  },
)

t.test('a port in use is one sentence that names it', needsRedis, async (t) => {
  const other = createServer()
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
  t.teardown(() => other.close())
  const address = other.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await t.rejects(startRedis({ dir: await tempFolder(t), port }), {
    name: 'ServerStartError',
    message: `Port ${port} is in use by another program: choose another port, or stop that program.`,
  })
})

t.test('a setting redis-server rejects is named in the error', needsRedis, async (t) => {
  await t.rejects(startRedis({ dir: await tempFolder(t), settings: { maxmemory: 'lots' } }), {
    message:
      /^redis-server did not accept the setting maxmemory "lots": argument must be a memory value$/,
  })
})

t.test(
  'with requirepass, the URL carries the password, and PING without it is refused',
  needsRedis,
  async (t) => {
    const server = await startRedis({
      dir: await tempFolder(t),
      port: await freePort(),
      settings: { requirepass: 'p@ss word' },
    })
    t.teardown(() => server.stop())
    t.equal(server.url, `redis://:p%40ss%20word@127.0.0.1:${server.port}`)
    await t.resolves(pingRedis(server.url))
    await t.rejects(pingRedis(`redis://127.0.0.1:${server.port}`), { message: /^NOAUTH/ })
    await t.rejects(pingRedis(`redis://:wrong@127.0.0.1:${server.port}`), { message: /^WRONGPASS/ })
  },
)

t.test(
  'REDIS_SERVER naming a missing file: the reason says so, and how to get Redis',
  async (t) => {
    const env = { REDIS_SERVER: '/nowhere/redis-server', PATH: process.env.PATH }
    const found = findRedisServer({ env })
    t.notOk('path' in found)
    const reason = 'reason' in found ? found.reason : ''
    t.match(
      reason,
      /^REDIS_SERVER is "\/nowhere\/redis-server", which is not an executable file: set it to the path of redis-server, or leave it out/,
    )
    t.match(reason, 'apt-get install redis-server')
    await t.rejects(startRedis({ dir: await tempFolder(t), env }), {
      name: 'ServerStartError',
      message: reason,
    })
  },
)

t.test('with no redis-server anywhere, the reason lists every way to get one', async (t) => {
  const found = findRedisServer({ env: { PATH: '' }, also: [] })
  const reason = 'reason' in found ? found.reason : ''
  t.match(
    reason,
    /^No redis-server was found \(REDIS_SERVER is not set, and there is none on the PATH\)\./,
  )
  for (const advice of [
    '`apt-get install redis-server` (Debian, Ubuntu)',
    '`brew install redis` (macOS)',
    'WSL',
    'Memurai',
    '`docker run -p 6379:6379 redis:7`',
    'REDIS_URL=redis://127.0.0.1:6379',
    'set REDIS_SERVER to the path of redis-server',
  ]) {
    t.match(reason, advice)
  }
})

t.test('REDIS_SERVER may name a program on the PATH', needsRedis, async (t) => {
  const found = findRedisServer({ env: { REDIS_SERVER: 'redis-server', PATH: process.env.PATH } })
  t.match(found, { path: /redis-server$/ })
})

t.test('Redis URLs are read with their user, password, TLS and port', async (t) => {
  t.same(parseRedisUrl('redis://127.0.0.1:6380'), { host: '127.0.0.1', port: 6380, tls: false })
  t.same(parseRedisUrl('rediss://me:s%40cret@cache.example.com/2'), {
    host: 'cache.example.com',
    port: 6379,
    tls: true,
    username: 'me',
    password: 's@cret',
  })
  t.same(parseRedisUrl('redis://[::1]:7000'), { host: '::1', port: 7000, tls: false })
  t.throws(() => parseRedisUrl('http://:secret@localhost'), {
    message:
      '"http://:***@localhost" is not a Redis URL: it must start with redis:// (or rediss:// for TLS).',
  })
  t.equal(maskPassword('redis://:secret@localhost:6379'), 'redis://:***@localhost:6379')
  t.equal(maskPassword('redis://localhost:6379'), 'redis://localhost:6379')
})

t.test('a command is sent as RESP: an array of bulk strings', async (t) => {
  t.equal(encodeCommand(['PING']), '*1\r\n$4\r\nPING\r\n')
  t.equal(encodeCommand(['AUTH', 'pässword']), '*2\r\n$4\r\nAUTH\r\n$9\r\npässword\r\n')
})
