import { fileURLToPath } from 'node:url'
import { runScript } from '@kitchen/core/testing'
import { testDatabase } from '@kitchen/db/testing'
import t from 'tap'
import { migrations } from '../src/db/migrations/index.js'

const lessonDir = fileURLToPath(new URL('..', import.meta.url))
const newest = Object.keys(migrations).at(-1)

/** Run one of this lesson's commands (`pnpm migrate`, `pnpm seed`) against a database. */
async function run(script: string, args: string[], databaseUrl: string) {
  const command = runScript(lessonDir, script, { args, env: { DATABASE_URL: databaseUrl } })
  return { code: await command.exited, output: command.output() }
}

t.test('the migrate command applies, undoes and re-applies migrations', async (t) => {
  const databaseUrl = await testDatabase(t)
  const latest = await run('src/cli/migrate.ts', ['latest'], databaseUrl)
  t.equal(latest.code, 0)
  t.match(latest.output, 'applied: 0001-create-todos')
  const down = await run('src/cli/migrate.ts', ['down'], databaseUrl)
  t.match(down.output, `undone: ${newest}`)
  const again = await run('src/cli/migrate.ts', ['latest'], databaseUrl)
  t.match(again.output, `applied: ${newest}`)
  const nothing = await run('src/cli/migrate.ts', ['latest'], databaseUrl)
  t.match(nothing.output, 'Nothing to do')
})

t.test('the migrate command refuses an unknown direction', async (t) => {
  const databaseUrl = await testDatabase(t)
  const result = await run('src/cli/migrate.ts', ['sideways'], databaseUrl)
  t.equal(result.code, 1)
  t.match(result.output, 'Unknown direction "sideways": use latest, up or down.')
})

t.test('the seed command migrates, then adds the sample to-dos once', async (t) => {
  const databaseUrl = await testDatabase(t)
  const first = await run('src/cli/seed.ts', [], databaseUrl)
  t.equal(first.code, 0)
  t.match(first.output, 'Added 3 sample to-dos.')
  const second = await run('src/cli/seed.ts', [], databaseUrl)
  t.match(second.output, 'already there')
})
