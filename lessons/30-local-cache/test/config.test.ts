import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { testDatabase } from '@kitchen/db/testing'
import { runScript } from '@kitchen/testing'
import t from 'tap'
import { DEV_JWT_SECRET, describeValue, readConfig } from '../src/config.js'
import { serverForTest } from './helpers.js'

const lessonDir = fileURLToPath(new URL('..', import.meta.url))

/** Start src/server.ts as `pnpm start` would, with extra environment variables. */
function spawnServer(env: Record<string, string>) {
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
    LOG_SQL: false,
    JWT_SECRET: DEV_JWT_SECRET,
    CORS_ORIGINS: '',
    DRAIN_SECONDS: 1,
  })
})

t.test('PORT, HOST and LOG_LEVEL come from the environment, converted', async (t) => {
  t.match(readConfig({ PORT: '4000', HOST: '0.0.0.0', LOG_LEVEL: 'debug' }), {
    PORT: 4000,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'debug',
  })
})

t.test('a bad value throws a ConfigError that names the variable and the value', async (t) => {
  t.throws(() => readConfig({ PORT: 'abc' }), {
    name: 'ConfigError',
    message: /PORT must be integer \(got "abc"\)/,
  })
})

t.test('a value outside a list of choices names the allowed values, once', async (t) => {
  t.throws(() => readConfig({ LOG_LEVEL: 'loud' }), {
    message:
      'Invalid configuration, fix these environment variables:\n  LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
  })
})

t.test('every wrong variable is named, one line each', async (t) => {
  t.throws(() => readConfig({ PORT: '70000', NODE_ENV: 'prod' }), {
    message: /\n {2}NODE_ENV must be one of .*\n {2}PORT must be <= 65535 \(got "70000"\)$/,
  })
})

t.test('only the variables passed in are read, not the whole process environment', async (t) => {
  process.env.PORT = '4321'
  t.teardown(() => {
    delete process.env.PORT
  })
  t.equal(readConfig({}).PORT, 3000)
  t.equal(readConfig().PORT, 4321)
})

t.test('a message never shows a secret, nor the password in a URL', async (t) => {
  t.equal(describeValue('PORT', undefined), 'it is not set')
  t.equal(describeValue('JWT_SECRET', 'short-secret'), 'got 12 characters, not shown')
  t.equal(
    describeValue('DATABASE_URL', 'postgres://me:hunter2@db/x'),
    'got "postgres://me:***@db/x"',
  )
})

t.test(
  '.env files are read: the lesson’s wins over the repository’s, the environment over both',
  async (t) => {
    const dir = t.testdir({
      'root.env': 'PORT=4002\nHOST=0.0.0.0\n',
      'lesson.env': 'PORT=4001\n',
      'bad.env': 'PORT=abc\n',
    })
    const file = (name: string) => pathToFileURL(join(dir, name))
    const config = readConfig({}, [file('root.env'), file('lesson.env')])
    t.match(config, { PORT: 4001, HOST: '0.0.0.0' })
    t.equal(readConfig({ PORT: '5000' }, [file('lesson.env')]).PORT, 5000)
    t.equal(readConfig({}, [file('missing.env')]).PORT, 3000, 'a file that is not there is skipped')
    t.throws(() => readConfig({}, [file('bad.env')]), {
      message:
        /fix these environment variables \(or .*bad\.env\):\n {2}PORT must be integer \(got "abc"\)/,
    })
  },
)

t.test('a bad setting stops the server with a message naming it, not a stack trace', async (t) => {
  const server = spawnServer({ PORT: 'abc' })
  t.equal(await server.exited, 1)
  t.match(server.output(), /PORT must be integer \(got "abc"\)/)
  t.notMatch(server.output(), /at .*\.(ts|js):\d+/)
})

t.test('the server starts on PORT, logs JSON lines and stops cleanly on SIGTERM', async (t) => {
  const server = spawnServer({ PORT: '0', DATABASE_URL: await testDatabase(t) })
  t.teardown(() => server.child.kill('SIGKILL'))
  const ready = await server.waitFor(/Server ready at (http:\/\/[\d.:]+)/)
  t.ok(ready, 'prints where it listens')
  const res = await fetch(`${ready?.[1]}/health`)
  t.equal(res.status, 200)
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'exits with 0')
  t.match(server.output(), /"msg":"server closing"/)
})

t.test('a port that is already taken is explained, with one to try instead', async (t) => {
  const port = Number(new URL(await serverForTest(t)).port)
  const server = spawnServer({
    PORT: String(port),
    DATABASE_URL: await testDatabase(t),
    KITCHEN_START_COMMAND: 'pnpm lesson start 6',
  })
  t.equal(await server.exited, 1)
  t.match(
    server.output(),
    `Port ${port} is already in use (another server is running there?). Stop it, or start this one on another port: PORT=${port + 1} pnpm lesson start 6`,
  )
  t.notMatch(server.output(), /at .*\.(ts|js):\d+/)
})

t.test('JWT_SECRET must be at least 32 characters, and the message does not show it', async (t) => {
  t.equal(readConfig({ JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET, 'x'.repeat(32))
  t.throws(() => readConfig({ JWT_SECRET: 'short-secret' }), {
    name: 'ConfigError',
    message: /JWT_SECRET must NOT have fewer than 32 characters \(got 12 characters, not shown\)/,
  })
  t.throws(() => readConfig({ JWT_SECRET: 'short-secret' }), { message: /^(?!.*short-secret)/s })
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
  const server = spawnServer({ NODE_ENV: 'production' })
  t.equal(await server.exited, 1)
  t.match(server.output(), /JWT_SECRET is not set/)
  t.match(server.output(), "randomBytes(48).toString('base64url')")
  t.notMatch(server.output(), /at .*\.(ts|js):\d+/, 'no stack trace')
})
