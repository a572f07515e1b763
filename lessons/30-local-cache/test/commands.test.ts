import { fileURLToPath } from 'node:url'
import { testDatabase } from '@kitchen/db/testing'
import { runScript } from '@kitchen/testing'
import t from 'tap'
import { migrations } from '../src/db/migrations/index.js'

const lessonDir = fileURLToPath(new URL('..', import.meta.url))
const names = Object.keys(migrations)

// Each test runs a command in a process of its own, on a database of the test's own.
/** Run one of this lesson's commands (`pnpm migrate`, `pnpm seed`) against a database. */
async function run(script: string, args: string[], databaseUrl: string) {
  const command = runScript(lessonDir, script, { args, env: { DATABASE_URL: databaseUrl } })
  return { code: await command.exited, output: command.output() }
}

t.test('the migrate command applies every migration, and undoes the last', async (t) => {
  const databaseUrl = await testDatabase(t)
  const latest = await run('src/cli/migrate.ts', ['latest'], databaseUrl)
  t.equal(latest.code, 0)
  t.same(
    latest.output.trim().split('\n'),
    names.map((name) => `applied: ${name}`),
  )
  const down = await run('src/cli/migrate.ts', ['down'], databaseUrl)
  t.equal(down.output.trim(), `undone: ${names.at(-1)}`)
})

t.test('the migrate command refuses an unknown direction', async (t) => {
  const result = await run('src/cli/migrate.ts', ['sideways'], 'postgres://unused')
  t.equal(result.code, 1)
  t.match(result.output, 'Unknown direction "sideways": use latest, up or down.')
})

t.test('the seed command migrates, then adds the sample to-dos once', async (t) => {
  const databaseUrl = await testDatabase(t)
  const first = await run('src/cli/seed.ts', [], databaseUrl)
  t.equal(first.code, 0)
  t.match(first.output, 'Added 3 sample to-dos.')
  const second = await run('src/cli/seed.ts', [], databaseUrl)
  t.match(second.output, 'The sample to-dos are already there.')
})
