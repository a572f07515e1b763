import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import t from 'tap'
import {
  cleanDatabase,
  dropRunTemplates,
  privateTestServer,
  RUN_ENV,
  templateKey,
  testDatabase,
} from '../src/testing.js'
import { query, setEnv, tempFolder } from './helpers.js'

const admin = () => process.env.DATABASE_URL as string
const nameOf = (url: string) => new URL(url).pathname.slice(1)
const exists = async (name: string) =>
  Boolean((await query(admin(), 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount)

const createTodos = async (url: string) => {
  await query(url, 'CREATE TABLE todos (id serial PRIMARY KEY, title text NOT NULL)')
}

t.test('each test database is separate: data does not leak', async (t) => {
  const one = await testDatabase(t)
  const two = await testDatabase(t)
  t.not(one, two)
  await query(one, 'CREATE TABLE notes (text text); INSERT INTO notes VALUES ($$hi$$)')
  t.equal((await query(one, 'SELECT * FROM notes')).rowCount, 1)
  await t.rejects(query(two, 'SELECT * FROM notes'), { code: '42P01' }, 'no such table in two')
})

t.test('a test database is dropped when its test ends', async (t) => {
  let name = ''
  await t.test('uses a database', async (t) => {
    const url = await testDatabase(t)
    name = nameOf(url)
    t.match(name, new RegExp(`^test_${process.pid}_[0-9a-f]{8}$`))
    // An open connection must not stop the drop.
    const { rows } = await query(url, 'SELECT current_database() AS name')
    t.equal(rows[0].name, name)
  })
  t.notOk(await exists(name))
})

t.test('a connection still closing when the test ends is not killed (no 57P01)', async (t) => {
  const errors: unknown[] = []
  let name = ''
  await t.test('ends its client without waiting', async (t) => {
    const url = await testDatabase(t)
    name = nameOf(url)
    const client = new pg.Client(url)
    client.on('error', (error) => errors.push(error))
    await client.connect()
    await client.query('SELECT 1')
    // Registered last, so it runs before the drop: the drop finds the connection closing.
    t.teardown(() => {
      client.end().catch((error: unknown) => errors.push(error))
    })
  })
  t.notOk(await exists(name), 'dropped')
  t.same(errors, [])
})

t.test('a connection left open is ended, and the database dropped', async (t) => {
  let name = ''
  const client = { current: undefined as pg.Client | undefined }
  await t.test('leaves a client open', async (t) => {
    const url = await testDatabase(t)
    name = nameOf(url)
    client.current = new pg.Client(url)
    client.current.on('error', () => {})
    await client.current.connect()
  })
  t.notOk(await exists(name))
  await client.current?.end().catch(() => {})
})

t.test('migrate runs on the new database before it is handed over', async (t) => {
  const url = await testDatabase(t, { migrate: createTodos })
  t.equal((await query(url, 'SELECT * FROM todos')).rowCount, 0)
})

t.test('migrate runs once per run: later test databases are copies of a template', async (t) => {
  let runs = 0
  const migrate = async (url: string) => {
    runs++
    await query(url, 'CREATE TABLE todos (id serial PRIMARY KEY, title text NOT NULL)')
  }
  const one = await testDatabase(t, { migrate })
  const two = await testDatabase(t, { migrate })
  t.equal(runs, 1, 'migrated once')
  await query(one, `INSERT INTO todos (title) VALUES ('only in one')`)
  t.equal((await query(one, 'SELECT * FROM todos')).rowCount, 1)
  t.equal((await query(two, 'SELECT * FROM todos')).rowCount, 0, 'copies are separate')
  const three = await testDatabase(t, { migrate })
  t.equal((await query(three, 'SELECT * FROM todos')).rowCount, 0, 'the template is untouched')
  t.equal(runs, 1)
})

t.test('with template: false, migrate runs on every test database', async (t) => {
  let runs = 0
  const migrate = async (url: string) => {
    runs++
    await createTodos(url)
  }
  await testDatabase(t, { migrate, template: false })
  await testDatabase(t, { migrate, template: false })
  t.equal(runs, 2)
})

t.test('processes that ask for the same template at once build it once', async (t) => {
  const fixture = join(import.meta.dirname, 'fixtures', 'template-user.ts')
  const node = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import=tsx', fixture, ...args], {
      env: process.env,
    })
  const template = (await node(['name'])).stdout.trim()
  await query(admin(), `DROP DATABASE IF EXISTS ${template}`)

  const results = await Promise.all([node(['use']), node(['use']), node(['use'])])
  const reports = results.map((result) => JSON.parse(result.stdout))
  const builders = new Set(reports.flatMap((report) => report.builtBy))
  t.equal(builders.size, 1, 'one process ran the migration')
  t.ok(
    reports.some((report) => builders.has(report.pid)),
    'and it was one of them',
  )
  t.ok(await exists(template), 'the template stays for the rest of the run')
})

t.test('a template that went away is made again', async (t) => {
  let runs = 0
  const migrate = async (url: string) => {
    runs++
    await createTodos(url)
  }
  await testDatabase(t, { migrate })
  const { name } = templateKey(migrate, import.meta.filename)
  t.ok(await exists(name))
  await query(admin(), `DROP DATABASE ${name}`)
  const url = await testDatabase(t, { migrate })
  t.equal((await query(url, 'SELECT * FROM todos')).rowCount, 0)
  t.equal(runs, 2)
})

t.test('the template name follows the package folder and its files', async (t) => {
  const folder = await tempFolder(t)
  const lesson = join(folder, '07-postgres')
  await mkdir(join(lesson, 'test'), { recursive: true })
  await writeFile(join(lesson, 'package.json'), '{}')
  const caller = join(lesson, 'test', 'todos.test.ts')
  const migrate = async (_url: string) => {}

  const first = templateKey(migrate, caller)
  t.equal(first.packageDir, lesson)
  t.match(first.name, /^tpl_07_postgres_[0-9a-f]{16}$/)
  t.equal(templateKey(migrate, caller).name, first.name, 'the same files, the same template')

  await mkdir(join(lesson, 'src'))
  await writeFile(join(lesson, 'src', '0001-todos.ts'), 'CREATE TABLE todos ()')
  const changed = templateKey(migrate, caller).name
  t.not(changed, first.name, 'a new migration, a new template')

  const other = async (url: string) => {
    await createTodos(url)
  }
  t.not(templateKey(other, caller).name, changed, 'another migrate, another template')
  t.ok(templateKey(migrate, caller).name.length <= 63)
})

t.test('the templates of a run on your own server are dropped at its end', async (t) => {
  setEnv(t, { [RUN_ENV]: 'run_for_this_test' })
  const migrate = async (url: string) => {
    await query(url, 'CREATE TABLE marked (id int)')
  }
  await testDatabase(t, { migrate })
  const { name } = templateKey(migrate, import.meta.filename)
  t.same(await dropRunTemplates(admin(), 'run_for_this_test'), [name])
  t.notOk(await exists(name))
  t.same(await dropRunTemplates(admin(), 'run_for_this_test'), [], 'nothing else')
})

t.test('cleanDatabase hands every test the same database, emptied, ids from 1', async (t) => {
  const migrate = async (url: string) => {
    await query(url, 'CREATE TABLE notes (id integer GENERATED ALWAYS AS IDENTITY, text text)')
    await query(url, 'CREATE TABLE kysely_migration (name text)')
  }
  const first = await cleanDatabase({ migrate })
  await query(first, "INSERT INTO notes (text) VALUES ('a'), ('b')")
  await query(first, "INSERT INTO kysely_migration VALUES ('0001')")
  const second = await cleanDatabase({ migrate })
  t.equal(second, first, 'one database per process')
  t.equal((await query(second, 'SELECT * FROM notes')).rowCount, 0, 'its rows are gone')
  const { rows } = await query(second, "INSERT INTO notes (text) VALUES ('c') RETURNING id")
  t.same(rows, [{ id: 1 }], 'ids count from 1 again')
  t.equal(
    (await query(second, 'SELECT * FROM kysely_migration')).rowCount,
    1,
    "Kysely's record of the migrations that ran is kept",
  )
})

t.test('the shared database is dropped when its process ends', async (t) => {
  const dir = await tempFolder(t)
  const script = join(dir, 'shared.mts')
  const source = new URL('../src/testing.ts', import.meta.url).href
  await writeFile(
    script,
    `import { cleanDatabase } from ${JSON.stringify(source)}
const url = await cleanDatabase({ migrate: async () => {} })
console.log(new URL(url).pathname.slice(1))`,
  )
  const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', script], {
    env: process.env,
  })
  const name = stdout.trim()
  t.match(name, /^test_\d+_shared_[0-9a-f]{8}$/)
  t.notOk(await exists(name))
})

t.test('without DATABASE_URL, testDatabase says how to run the tests', async (t) => {
  const outer = t
  setEnv(outer, { DATABASE_URL: undefined })
  await t.rejects(testDatabase(t), { message: /DATABASE_URL is not set.*pnpm test/ })
})

t.test('a private server can be stopped (connections refused) and started again', async (t) => {
  const server = await privateTestServer(t)
  t.equal((await query(server.url, 'SELECT 1 AS one')).rows[0].one, 1)

  await server.stop()
  await t.rejects(query(server.url, 'SELECT 1'), { code: 'ECONNREFUSED' })

  await server.start()
  t.equal((await query(server.url, 'SELECT 1 AS one')).rows[0].one, 1, 'works again')
})

t.test('a private server can be frozen (nothing answers) and thawed again', async (t) => {
  const server = await privateTestServer(t)
  const client = new pg.Client({ connectionString: server.url, query_timeout: 1_000 })
  await client.connect()
  t.teardown(() => client.end())
  server.pause()
  await t.rejects(client.query('SELECT 1'), { message: /Query read timeout/ }, 'no answer')
  server.resume()
  t.equal((await query(server.url, 'SELECT 1 AS one')).rows[0].one, 1, 'answers again')
})
