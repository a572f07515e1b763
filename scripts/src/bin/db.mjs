#!/usr/bin/env node
/** `pnpm db …` from any folder of the repository: see lesson.mjs next to this file. */
import { register } from 'tsx/esm/api'

register()
await import('../../../packages/db/src/cli.ts')
