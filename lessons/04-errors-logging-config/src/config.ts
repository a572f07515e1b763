import { loadConfig, ServerConfigSchema } from '@kitchen/core'
import type { Static } from 'typebox'

/**
 * Everything the server can be told from outside, with its defaults: PORT, HOST, LOG_LEVEL
 * and NODE_ENV. Values come from environment variables or a `.env` file in this folder, and
 * are checked at start-up: `PORT=abc pnpm start` stops with a message naming PORT.
 */
export const ConfigSchema = ServerConfigSchema
export type Config = Static<typeof ConfigSchema>

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
