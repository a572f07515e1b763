import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { readConfig } from '../src/config.js'
import { databaseForTest } from './helpers.js'

const lessonDir = fileURLToPath(new URL('..', import.meta.url))

/** Start src/server.ts as `pnpm start` would, with extra environment variables. */
function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import=tsx', 'src/server.ts'], {
    cwd: lessonDir,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
  })
  let output = ''
  child.stdout.on('data', (chunk) => {
    output += chunk
  })
  child.stderr.on('data', (chunk) => {
    output += chunk
  })
  return { child, output: () => output }
}

async function waitFor(read: () => string, pattern: RegExp) {
  for (let i = 0; i < 200 && !pattern.test(read()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return read().match(pattern)
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
  const [code] = await once(server.child, 'exit')
  t.equal(code, 1)
  t.match(server.output(), /PORT must be integer \(got "abc"\)/)
  t.notMatch(server.output(), /at .*\.(ts|js):\d+/)
})

t.test('the server starts on PORT, logs JSON lines and stops cleanly on SIGTERM', async (t) => {
  const server = startServer({ PORT: '0', DATABASE_URL: await databaseForTest(t) })
  t.teardown(() => server.child.kill('SIGKILL'))
  const ready = await waitFor(server.output, /Server ready at (http:\/\/[\d.:]+)/)
  t.ok(ready, 'prints where it listens')
  const res = await fetch(`${ready?.[1]}/health`)
  t.equal(res.status, 200)
  server.child.kill('SIGTERM')
  const [code] = await once(server.child, 'exit')
  t.equal(code, 0, 'exits with 0')
  t.match(server.output(), /"msg":"server closing"/)
})
