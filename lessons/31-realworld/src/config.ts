import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { envSchema } from 'env-schema'
import { type Static, Type } from 'typebox'

/** Good enough on your own computer, and refused in production: everybody can read it here. */
export const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production'

/**
 * Everything the server can be told from outside, with its defaults. Values come from
 * environment variables or `.env` files, and are checked at start-up: `PORT=abc pnpm start`
 * stops with a message naming PORT instead of starting half-working.
 * JWT_SECRET signs the access tokens: whoever knows it can make a token for any user.
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'test', 'production'], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
  JWT_SECRET: Type.String({ minLength: 32, default: DEV_JWT_SECRET }),
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
  LOG_SQL: Type.Boolean({ default: false }),
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
export function readConfig(
  env: Record<string, string | undefined> = process.env,
  envFiles: URL[] = env === process.env ? ENV_FILES : [],
): Config {
  const files = envFiles.filter((file) => existsSync(file))
  // Later wins: the repository's .env, then the lesson's, then the environment itself.
  const values = Object.assign(
    {},
    ...files.map((file) => parseEnv(readFileSync(file, 'utf8'))),
    env,
  )
  let config: Config
  try {
    // `env: false`: read only `values`. Tests pass their own, and must not see this process's.
    config = envSchema<Config>({ schema: ConfigSchema, data: values, env: false })
  } catch (error) {
    throw new ConfigError(describeProblems(error, values, files))
  }
  if (config.NODE_ENV === 'production' && config.JWT_SECRET === DEV_JWT_SECRET) {
    throw new ConfigError(
      [
        'JWT_SECRET is not set: with the development default, anyone who has read this code',
        'could sign a token for any user. Make a secret of your own, and set it as JWT_SECRET:',
        `  node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))"`,
      ].join('\n'),
    )
  }
  return config
}

/** The `.env` files read at start-up, if they exist: the repository's, then this lesson's. */
const ENV_FILES = [new URL('../../../.env', import.meta.url), new URL('../.env', import.meta.url)]

interface AjvIssue {
  instancePath: string
  message?: string
  params?: { missingProperty?: string; allowedValues?: unknown[] }
}

/** One line per wrong variable (its first problem), naming it, the rule and what it holds. */
function describeProblems(error: unknown, env: Record<string, string>, files: URL[]): string {
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
  const where = files.map((file) => relative(process.cwd(), fileURLToPath(file))).join(', ')
  const heading = `Invalid configuration, fix these environment variables${where ? ` (or ${where})` : ''}:`
  return `${heading}\n${[...lines.values()].join('\n')}`
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
