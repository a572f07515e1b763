import { fileURLToPath } from 'node:url'
import { runScript } from '@kitchen/core/testing'
import t from 'tap'
import { DEV_JWT_SECRET, readConfig } from '../src/config.js'
import { databaseForTest } from './helpers.js'

const lessonDir = fileURLToPath(new URL('..', import.meta.url))

/** Start src/server.ts as `pnpm start` would, with extra environment variables. */
function startServer(env: Record<string, string>) {
  return runScript(lessonDir, 'src/server.ts', {
    env: { LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
  })
}

t.test('settings have sensible defaults', async (t) => {
  t.same(readConfig({}), {
    NODE_ENV: 'development',
    PORT: 3000,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    JWT_SECRET: DEV_JWT_SECRET,
  })
})

t.test('PORT, HOST and LOG_LEVEL come from the environment', async (t) => {
  t.match(readConfig({ PORT: '4000', HOST: '0.0.0.0', LOG_LEVEL: 'debug' }), {
    PORT: 4000,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'debug',
  })
})

t.test('JWT_SECRET must be at least 32 characters, and the message does not show it', async (t) => {
  t.equal(readConfig({ JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET, 'x'.repeat(32))
  t.throws(() => readConfig({ JWT_SECRET: 'short-secret' }), {
    name: 'ConfigError',
    message: /JWT_SECRET must NOT have fewer than 32 characters/,
  })
  try {
    readConfig({ JWT_SECRET: 'short-secret' })
  } catch (error) {
    t.notMatch((error as Error).message, 'short-secret')
  }
})

t.test('in production, the development JWT_SECRET is refused', async (t) => {
  t.throws(() => readConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET }), {
    name: 'ConfigError',
    message: /JWT_SECRET is not set/,
  })
  const secret = 'a-real-secret-made-with-randomBytes-48'
  t.equal(readConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).JWT_SECRET, secret)
})

t.test('in production, no JWT_SECRET stops the server, saying how to make one', async (t) => {
  const server = startServer({ NODE_ENV: 'production' })
  const code = await server.exited
  t.equal(code, 1)
  t.match(server.output(), /JWT_SECRET is not set/)
  t.match(server.output(), "randomBytes(48).toString('base64url')")
  t.notMatch(server.output(), /at .*\.(ts|js):\d+/, 'no stack trace')
})

t.test('a bad setting stops the server with a message naming it, not a stack trace', async (t) => {
  const server = startServer({ PORT: 'abc' })
  const code = await server.exited
  t.equal(code, 1)
  t.match(server.output(), /PORT must be integer \(got "abc"\)/)
  t.notMatch(server.output(), /at .*\.(ts|js):\d+/)
})

t.test('the server starts on PORT, logs JSON lines and stops cleanly on SIGTERM', async (t) => {
  const server = startServer({ PORT: '0', DATABASE_URL: await databaseForTest(t) })
  t.teardown(() => server.child.kill('SIGKILL'))
  const ready = await server.waitFor(/Server ready at (http:\/\/[\d.:]+)/)
  t.ok(ready, 'prints where it listens')
  const res = await fetch(`${ready?.[1]}/health`)
  t.equal(res.status, 200)
  server.child.kill('SIGTERM')
  const code = await server.exited
  t.equal(code, 0, 'exits with 0')
  t.match(server.output(), /"msg":"server closing"/)
})
