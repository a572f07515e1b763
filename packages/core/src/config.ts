import { envSchema } from 'env-schema'
import { type Static, type TObject, Type } from 'typebox'

/** Settings every lesson's server reads from the environment (or a `.env` file). */
export const ServerConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'test', 'production'], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
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
      // Read only `env`: tests pass their own, and must not see this process's variables.
      env: false,
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
  const lines = new Map<string, string>() // one line per variable, the first problem found
  for (const issue of issues) {
    const name = issue.params?.missingProperty ?? issue.instancePath.replace(/^\//, '')
    if (lines.has(name)) continue
    const got = describeValue(name, env[name])
    const allowed = issue.params?.allowedValues
    const problem = allowed
      ? `must be one of ${allowed.join(', ')}`
      : (issue.message ?? 'is invalid')
    lines.set(name, `  ${name} ${problem} (${got})`)
  }
  return `Invalid configuration, fix these environment variables:\n${[...lines.values()].join('\n')}`
}

/** Quote the wrong value, so it can be found, but never a secret (not even a wrong one). */
function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'it is not set'
  if (/SECRET|PASSWORD|TOKEN|KEY/i.test(name)) return `got ${value.length} characters, not shown`
  // A URL may hold a password: postgres://user:secret@host/db
  return `got ${JSON.stringify(value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@'))}`
}
