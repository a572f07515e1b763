import { loadConfig, ServerConfigSchema } from '@kitchen/core'
import { type Static, Type } from 'typebox'

/**
 * Everything the server can be told from outside, with its defaults: PORT, HOST, LOG_LEVEL
 * and NODE_ENV. Values come from environment variables or a `.env` file in this folder, and
 * are checked at start-up: `PORT=abc pnpm start` stops with a message naming PORT.
 * DATABASE_URL points at your own Postgres; leave it out to use the embedded one.
 */
export const ConfigSchema = Type.Object({
  ...ServerConfigSchema.properties,
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
})
export type Config = Static<typeof ConfigSchema>

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
