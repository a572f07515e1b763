import t from 'tap'
import { Type } from 'typebox'
import { type ConfigError, loadConfig, ServerConfigSchema } from '../src/index.js'

t.test('defaults fill in what is not set', async (t) => {
  const config = loadConfig(ServerConfigSchema, {})
  t.same(config, { NODE_ENV: 'development', PORT: 3000, HOST: '127.0.0.1', LOG_LEVEL: 'info' })
})

t.test('values from the environment are read and converted', async (t) => {
  const config = loadConfig(ServerConfigSchema, { PORT: '8080', LOG_LEVEL: 'debug' })
  t.equal(config.PORT, 8080)
  t.equal(config.LOG_LEVEL, 'debug')
})

t.test('a bad value throws a ConfigError that names the variable and the value', async (t) => {
  t.throws(() => loadConfig(ServerConfigSchema, { PORT: 'abc' }), {
    name: 'ConfigError',
    message: /PORT must be integer \(got "abc"\)/,
  })
})

t.test('a missing required variable is named', async (t) => {
  const schema = Type.Object({ SECRET: Type.String() })
  const error = t.throws(() => loadConfig(schema, {})) as ConfigError
  t.match(error.message, /SECRET .*\(it is not set\)/)
})

t.test('a value outside a list of choices names the allowed values, once', async (t) => {
  const error = t.throws(() => loadConfig(ServerConfigSchema, { LOG_LEVEL: 'loud' })) as ConfigError
  t.equal(
    error.message,
    'Invalid configuration, fix these environment variables:\n  LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
  )
})

t.test('only the variables passed in are read, not the whole process environment', async (t) => {
  process.env.PORT = '4321'
  t.teardown(() => {
    delete process.env.PORT
  })
  t.equal(loadConfig(ServerConfigSchema, {}).PORT, 3000)
  t.equal(loadConfig(ServerConfigSchema).PORT, 4321)
})

t.test('a wrong secret or a password in a URL is never printed', async (t) => {
  const schema = Type.Object({
    JWT_SECRET: Type.String({ minLength: 32 }),
    DATABASE_URL: Type.String({ pattern: '^postgres://.*/kitchen$' }),
  })
  const error = t.throws(() =>
    loadConfig(schema, { JWT_SECRET: 'short-secret', DATABASE_URL: 'postgres://me:hunter2@db/x' }),
  ) as ConfigError
  t.match(
    error.message,
    /JWT_SECRET must NOT have fewer than 32 characters \(got 12 characters, not shown\)/,
  )
  t.match(error.message, 'postgres://me:***@db/x')
  t.notMatch(error.message, /short-secret|hunter2/)
})
