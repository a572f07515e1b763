// Runs every test file of this lesson in one process: Node, TypeScript and Fastify start once,
// not once per file. One file runs alone too: `pnpm tap test/todos.test.ts`.
import { runTestFiles } from '@kitchen/testing'

await runTestFiles(new URL('.', import.meta.url))
