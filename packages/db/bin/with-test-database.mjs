#!/usr/bin/env node
// with-test-database <command> [args...]: see src/with-test-database.ts.
// The code is TypeScript; tsx's loader lets plain Node import it.
import { register } from 'tsx/esm/api'

register()
const { withTestDatabase } = await import('../src/with-test-database.ts')
process.exit(await withTestDatabase(process.argv.slice(2)))
