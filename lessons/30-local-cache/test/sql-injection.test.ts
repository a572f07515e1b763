import { testDatabase } from '@kitchen/db/testing'
import pg from 'pg'
import t from 'tap'
import { migrateToLatest } from '../src/db/migrate.js'
import { appForTest } from './helpers.js'

const title = "x'); drop table todos; --"

t.test('SQL glued together from strings runs whatever a title smuggles in', async (t) => {
  const pool = new pg.Pool({
    connectionString: await testDatabase(t, { migrate: migrateToLatest }),
  })
  t.teardown(() => pool.end())
  // Never do this: the title ends the quoted value, and the rest of it is run as SQL.
  await pool.query(`insert into todos (title) values ('${title}')`)
  const { rows } = await pool.query(`select to_regclass('todos') as "table"`)
  t.equal(rows[0].table, null, 'the todos table is gone')
})

t.test('the same title sent as a parameter is stored as text', async (t) => {
  const app = await appForTest(t)
  const created = await app.inject({ method: 'POST', url: '/todos', payload: { title } })
  t.equal(created.statusCode, 201)
  const list = await app.inject({ method: 'GET', url: '/todos' })
  t.match(list.json(), [{ title }], 'stored as typed, and the table is still there')
})
