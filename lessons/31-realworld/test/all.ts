// Runs every test file of this lesson in one process: Node, TypeScript and Fastify start once,
// not once per file. One file runs alone too: `pnpm exec with-test-database tap test/auth.test.ts`.
import { runTestFiles } from '@kitchen/testing'

await runTestFiles(new URL('.', import.meta.url))
