#!/usr/bin/env node
/** `pnpm redis …` from any folder of the repository: see lesson.mjs next to this file. */
import { register } from 'tsx/esm/api'

register()
const { runFromCommandLine } = await import('../../../packages/servers/src/pnpm-redis.ts')
runFromCommandLine()
