/**
 * Runs every test file of this lesson in one process. Each file works on its own too
 * (`pnpm tap test/todos.test.ts`), but starting Node, TypeScript and Fastify costs over a
 * second per process: loading them once makes `pnpm test` several times faster.
 */
import { readdirSync } from 'node:fs'
import t from 'tap'

// No test starts before every file is loaded: a file's own set-up (an app, a database) must
// not run while another file's tests are running.
let markLoaded = () => {}
const loaded = new Promise<void>((resolve) => {
  markLoaded = resolve
})
t.before(() => loaded)

const files = readdirSync(new URL('.', import.meta.url))
  .filter((file) => file.endsWith('.test.ts'))
  .sort()
for (const file of files) {
  try {
    await import(`./${file}`)
  } catch (error) {
    // A file that cannot even load (a typing slip, a missing export) fails as one test.
    t.test(`${file} loads`, async (t) => t.error(error))
  }
}
markLoaded()
