import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '@kitchen/servers'
import t from 'tap'
import { DatabaseStartError } from '../src/postgres.js'
import { checkDatabaseReachable, DatabaseUnreachableError, resolveDatabaseUrl } from '../src/url.js'
import { query, setEnv, tempFolder } from './helpers.js'

const quiet = () => {}

t.test(
  'with DATABASE_URL set (check: false), returns it as it is and starts nothing',
  async (t) => {
    const folder = await tempFolder(t)
    const url = 'postgres://me:secret@db.example.com:5432/todos?sslmode=require'
    setEnv(t, { DATABASE_URL: url, KITCHEN_DB_DIR: join(folder, 'data') })
    const resolved = await resolveDatabaseUrl({ database: 'kitchen_lesson_05', check: false })
    t.same(resolved, { url })
    t.notOk(existsSync(join(folder, 'data')), 'no embedded server was set up')
  },
)

t.test('without DATABASE_URL, starts the embedded server and creates the database', async (t) => {
  const folder = await tempFolder(t)
  const port = await freePort()
  setEnv(t, {
    DATABASE_URL: undefined,
    KITCHEN_DB_DIR: join(folder, 'data'),
    KITCHEN_DB_PORT: String(port),
  })
  const lines: string[] = []
  const first = await resolveDatabaseUrl({
    database: 'kitchen_lesson_test',
    log: (line) => lines.push(line),
  })
  t.teardown(() => first.embedded?.stop())
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/kitchen_lesson_test`
  t.equal(first.url, url)
  t.ok(first.embedded?.startedByUs)
  t.match(lines.at(-1), `Database: ${url}`)
  await query(url, 'CREATE TABLE kept (id int)')

  const second = await resolveDatabaseUrl({ database: 'kitchen_lesson_test', log: quiet })
  t.equal(second.url, url)
  t.notOk(second.embedded?.startedByUs, 'the running server is reused')
  const { rowCount } = await query(url, 'SELECT * FROM kept')
  t.equal(rowCount, 0, 'and the database with its tables is still there')
})

t.test('refuses a database name that would need quoting', async (t) => {
  setEnv(t, { DATABASE_URL: undefined })
  await t.rejects(resolveDatabaseUrl({ database: 'Robert"); DROP', log: quiet }), {
    message: /is not a usable database name/,
  })
})

t.test('an unreachable database is one clear error, password hidden', async (t) => {
  const port = await freePort()
  const error = await checkDatabaseReachable(
    `postgres://postgres:hunter2@127.0.0.1:${port}/todos`,
  ).catch((error) => error)
  t.type(error, DatabaseUnreachableError)
  t.match(error.message, `postgres://postgres:****@127.0.0.1:${port}/todos`)
  t.match(error.message, /ECONNREFUSED/)
  t.match(error.message, /Is Postgres running\? Unset DATABASE_URL .* or run `pnpm db start`/)
  t.notMatch(error.message, /hunter2/)
})

const needsServer = { skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL (pnpm test)' }

t.test('a reachable database passes the check', needsServer, async (t) => {
  await checkDatabaseReachable(process.env.DATABASE_URL as string)
  t.pass()
})

t.test('a wrong password is named as such', needsServer, async (t) => {
  const wrong = new URL(process.env.DATABASE_URL as string)
  wrong.password = 'wrong'
  await t.rejects(checkDatabaseReachable(wrong.toString()), {
    name: 'DatabaseUnreachableError',
    message: /user name or password is wrong/,
  })
})

t.test(
  'a DATABASE_URL that does not answer fails in resolveDatabaseUrl, as a DatabaseStartError',
  async (t) => {
    setEnv(t, { DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nothing' })
    const error = await resolveDatabaseUrl({ database: 'kitchen_unused', log: quiet }).catch(
      (e) => e,
    )
    t.type(error, DatabaseUnreachableError)
    t.type(error, DatabaseStartError)
    t.match(
      error.message,
      /Cannot reach the database at postgres:\/\/someone:\*+@127\.0\.0\.1:1\/nothing/,
    )
    const unchecked = await resolveDatabaseUrl({ database: 'kitchen_unused', check: false })
    t.equal(unchecked.url, 'postgres://someone:secret@127.0.0.1:1/nothing', 'check: false skips it')
  },
)
