import { fileURLToPath } from 'node:url'
import { runScript } from '@kitchen/core/testing'
import t from 'tap'
import { readConfig } from '../src/config.js'
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
  })
})

t.test('PORT, HOST and LOG_LEVEL come from the environment', async (t) => {
  t.match(readConfig({ PORT: '4000', HOST: '0.0.0.0', LOG_LEVEL: 'debug' }), {
    PORT: 4000,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'debug',
  })
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
