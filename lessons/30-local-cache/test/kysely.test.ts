import { captureLogs } from '@kitchen/testing'
import t from 'tap'
import { createDatabase } from '../src/db/database.js'
import { appForTest } from './helpers.js'

// compile() builds a query's SQL without sending it, so these tests need no database.
const db = createDatabase('postgres://nobody@127.0.0.1:1/nothing', () => {})
t.teardown(() => db.destroy())

t.test('each call becomes SQL, with the values beside it as parameters', async (t) => {
  const update = db
    .updateTable('todos')
    .set({ done: true })
    .where('id', '=', 7)
    .returningAll()
    .compile()
  t.equal(update.sql, 'update "todos" set "done" = $1 where "id" = $2 returning *')
  t.same(update.parameters, [true, 7])
})

t.test('a title full of SQL is a parameter, never part of the SQL text', async (t) => {
  const title = "x'); drop table todos; --"
  const insert = db.insertInto('todos').values({ title }).returningAll().compile()
  t.equal(insert.sql, 'insert into "todos" ("title") values ($1) returning *')
  t.same(insert.parameters, [title])
})

t.test('a misspelt column is caught by TypeScript, not when the query runs', async (t) => {
  // @ts-expect-error: todos has no column "titel", so `pnpm typecheck` fails without this line.
  const select = db.selectFrom('todos').selectAll().where('titel', '=', 'Buy milk').compile()
  t.equal(select.sql, 'select * from "todos" where "titel" = $1', 'at run time, nothing checks')
})

t.test('with logSql (LOG_SQL=true), each query is logged: its SQL, values and time', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, { logLevel: 'info', logStream: logs.stream, logSql: true })
  const long = 'a title long enough to be cut short in the log, like a hash'
  for (const title of ['Buy milk', long]) {
    await app.inject({ method: 'POST', url: '/todos', payload: { title } })
  }
  const inserts = logs.lines().filter((line) => /^insert into "todos"/.test(String(line.sql)))
  t.equal(inserts.length, 2)
  t.match(inserts[0], { msg: 'sql', values: ['Buy milk'], ms: Number })
  t.match(inserts[1]?.values, [`${long.slice(0, 12)}…`], 'a long text is cut')
})

t.test('without logSql, no query is logged', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, { logLevel: 'info', logStream: logs.stream })
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  t.same(
    logs.lines().filter((line) => line.msg === 'sql'),
    [],
  )
})

t.test('with logSql (LOG_SQL=true), each query is logged: its SQL, values and time', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, { logLevel: 'info', logStream: logs.stream, logSql: true })
  const long = 'a title long enough to be cut short in the log, like a hash'
  for (const title of ['Buy milk', long]) {
    await app.inject({ method: 'POST', url: '/todos', payload: { title } })
  }
  const inserts = logs.lines().filter((line) => /^insert into "todos"/.test(String(line.sql)))
  t.equal(inserts.length, 2)
  t.match(inserts[0], { msg: 'sql', values: ['Buy milk'], ms: Number })
  t.match(inserts[1]?.values, [`${long.slice(0, 12)}…`], 'a long text is cut')
})

t.test('without logSql, no query is logged', async (t) => {
  const logs = captureLogs()
  const app = await appForTest(t, { logLevel: 'info', logStream: logs.stream })
  await app.inject({ method: 'POST', url: '/todos', payload: { title: 'Buy milk' } })
  t.same(
    logs.lines().filter((line) => line.msg === 'sql'),
    [],
  )
})
