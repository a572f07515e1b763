import { envSchema } from 'env-schema'
import { type Static, Type } from 'typebox'

/**
 * Everything the server can be told from outside, with its defaults. Values come from
 * environment variables or a `.env` file in this folder, and are checked at start-up:
 * `PORT=abc pnpm start` stops with a message naming PORT instead of starting half-working.
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'test', 'production'], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
})
export type Config = Static<typeof ConfigSchema>

/** A bad setting: the message names the variable, its value and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Read and check the configuration. Defaults fill in what is missing; a wrong value throws a
 * ConfigError such as: `PORT must be integer (got "abc")`.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    return envSchema<Config>({
      schema: ConfigSchema,
      data: env,
      // Read only `env`: tests pass their own, and must not see this process's variables.
      env: false,
      // Read a `.env` file from the folder the server was started in, if there is one.
      dotenv: env === process.env,
    })
  } catch (error) {
    throw new ConfigError(describeProblems(error, env))
  }
}

interface AjvIssue {
  instancePath: string
  message?: string
  params?: { missingProperty?: string; allowedValues?: unknown[] }
}

/** One line per wrong variable (its first problem), naming it, the rule and what it holds. */
function describeProblems(error: unknown, env: Record<string, string | undefined>): string {
  const issues = (error as { errors?: AjvIssue[] }).errors
  if (!issues?.length) return `Invalid configuration: ${(error as Error).message}`
  const lines = new Map<string, string>()
  for (const issue of issues) {
    const name = issue.params?.missingProperty ?? issue.instancePath.replace(/^\//, '')
    if (lines.has(name)) continue
    const allowed = issue.params?.allowedValues
    const problem = allowed ? `must be one of ${allowed.join(', ')}` : issue.message
    lines.set(name, `  ${name} ${problem} (${describeValue(name, env[name])})`)
  }
  return `Invalid configuration, fix these environment variables:\n${[...lines.values()].join('\n')}`
}

/**
 * Quote the wrong value, so it can be found, but never a secret (not even a wrong one): a
 * message like this ends up in terminals, CI logs and bug reports.
 */
export function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'it is not set'
  if (/SECRET|PASSWORD|TOKEN|KEY/i.test(name)) return `got ${value.length} characters, not shown`
  // A URL may hold a password: postgres://user:secret@host/db
  return `got ${JSON.stringify(value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@'))}`
}
