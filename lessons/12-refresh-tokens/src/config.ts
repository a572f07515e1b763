import { ConfigError, loadConfig, ServerConfigSchema } from '@kitchen/core'
import { type Static, Type } from 'typebox'

/** Good enough on your own computer, and refused in production: everybody can read it here. */
export const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production'

/**
 * Everything the server can be told from outside, with its defaults: PORT, HOST, LOG_LEVEL
 * and NODE_ENV. Values come from environment variables or a `.env` file in this folder, and
 * are checked at start-up: `PORT=abc pnpm start` stops with a message naming PORT.
 * DATABASE_URL points at your own Postgres; leave it out to use the embedded one.
 * JWT_SECRET signs the login tokens: whoever knows it can make a token for any user.
 */
export const ConfigSchema = Type.Object({
  ...ServerConfigSchema.properties,
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
  JWT_SECRET: Type.String({ minLength: 32, default: DEV_JWT_SECRET }),
})
export type Config = Static<typeof ConfigSchema>

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = loadConfig(ConfigSchema, env)
  if (config.NODE_ENV === 'production' && config.JWT_SECRET === DEV_JWT_SECRET) {
    throw new ConfigError(
      [
        'JWT_SECRET is not set. In production it must be a secret of your own: with the',
        'development default, anyone who has read this code could sign a token for any user.',
        'Make one with:',
        `  node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))"`,
        'and set it as JWT_SECRET in the environment (or in .env, which git ignores).',
      ].join('\n'),
    )
  }
  return config
}
