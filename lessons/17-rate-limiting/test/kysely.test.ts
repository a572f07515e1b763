import t from 'tap'
import { createDatabase } from '../src/db/database.js'

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
