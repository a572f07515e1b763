import t from 'tap'
import { databaseErrorTranslator } from '../src/errors.js'
import { privateTestServer, testDatabase } from '../src/testing.js'
import { query, setEnv } from './helpers.js'

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
    name = new URL(url).pathname.slice(1)
    t.match(name, new RegExp(`^test_${process.pid}_[0-9a-f]{8}$`))
    // An open connection must not stop the drop.
    const { rows } = await query(url, 'SELECT current_database() AS name')
    t.equal(rows[0].name, name)
  })
  const admin = process.env.DATABASE_URL as string
  const { rowCount } = await query(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])
  t.equal(rowCount, 0)
})

t.test('migrate runs on the new database before it is handed over', async (t) => {
  const url = await testDatabase(t, {
    migrate: async (url) => {
      await query(url, 'CREATE TABLE todos (id serial PRIMARY KEY, title text NOT NULL)')
    },
  })
  t.equal((await query(url, 'SELECT * FROM todos')).rowCount, 0)
})

t.test('without DATABASE_URL, testDatabase says how to run the tests', async (t) => {
  const outer = t
  setEnv(outer, { DATABASE_URL: undefined })
  await t.rejects(testDatabase(t), { message: /DATABASE_URL is not set.*pnpm test/ })
})

t.test('a private server can be stopped (503) and started again', async (t) => {
  const server = await privateTestServer(t)
  t.equal((await query(server.url, 'SELECT 1 AS one')).rows[0].one, 1)

  await server.stop()
  const error = await query(server.url, 'SELECT 1').catch((error: unknown) => error)
  t.equal((error as { code?: string }).code, 'ECONNREFUSED')
  t.match(
    databaseErrorTranslator(error),
    { statusCode: 503, code: 'DATABASE_UNAVAILABLE' },
    'the client gets a 503',
  )

  await server.start()
  t.equal((await query(server.url, 'SELECT 1 AS one')).rows[0].one, 1, 'works again')
})
