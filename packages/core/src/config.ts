import { envSchema } from 'env-schema'
import { type Static, type TObject, Type } from 'typebox'

/** Settings every lesson's server reads from the environment (or a `.env` file). */
export const ServerConfigSchema = Type.Object({
  NODE_ENV: Type.Union(
    [Type.Literal('development'), Type.Literal('test'), Type.Literal('production')],
    { default: 'development' },
  ),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) =>
      Type.Literal(level),
    ),
    { default: 'info' },
  ),
})
export type ServerConfig = Static<typeof ServerConfigSchema>

/** A bad setting: the message names the variable, its value and what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/**
 * Read and check the configuration. Defaults fill in what is missing; a wrong value throws a
 * ConfigError such as: `PORT must be integer (got "abc")`.
 */
export function loadConfig<Schema extends TObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): Static<Schema> {
  try {
    return envSchema<Static<Schema>>({
      schema,
      data: env,
      // Read a `.env` file from the folder the server was started in, if there is one.
      dotenv: env === process.env,
    })
  } catch (error) {
    throw new ConfigError(describe(error, env))
  }
}

interface AjvIssue {
  instancePath: string
  message?: string
  params?: { missingProperty?: string; allowedValues?: unknown[] }
}

function describe(error: unknown, env: Record<string, string | undefined>): string {
  const issues = (error as { errors?: AjvIssue[] }).errors
  if (!issues?.length) return `Invalid configuration: ${(error as Error).message}`
  const lines = issues.map((issue) => {
    const name = issue.params?.missingProperty ?? issue.instancePath.replace(/^\//, '')
    const value = env[name]
    const got = value === undefined ? 'it is not set' : `got ${JSON.stringify(value)}`
    return `  ${name} ${issue.message ?? 'is invalid'} (${got})`
  })
  return `Invalid configuration, fix these environment variables:\n${lines.join('\n')}`
}
