import { readdirSync } from 'node:fs'
import t from 'tap'

/**
 * Run every `*.test.ts` file of a folder in this one process: a lesson's `test/all.ts` is
 *   await runTestFiles(new URL('.', import.meta.url))
 * Each file works on its own too (`pnpm tap test/todos.test.ts`), but starting Node,
 * TypeScript and Fastify costs over a second per process: loading them once makes a lesson's
 * tests several times faster.
 *
 * The files are loaded in name order, and no test starts before every file is loaded: a file's
 * own set-up (an app, a database) must not run while another file's tests are running. A file
 * that cannot even load (a typing slip, a missing export) fails as one test, `<file> loads`.
 */
export async function runTestFiles(folder: URL): Promise<void> {
  let markLoaded = () => {}
  const loaded = new Promise<void>((resolve) => {
    markLoaded = resolve
  })
  t.before(() => loaded)

  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.test.ts'))
    .sort()
  for (const file of files) {
    try {
      await import(new URL(file, folder).href)
    } catch (error) {
      t.test(`${file} loads`, async (t) => t.error(error))
    }
  }
  markLoaded()
}
