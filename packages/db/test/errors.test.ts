import { HttpError } from '@kitchen/core'
import t from 'tap'
import { databaseErrorTranslator } from '../src/errors.js'
import { freePort } from '../src/ports.js'
import { testDatabase } from '../src/testing.js'
import { query } from './helpers.js'

const url = await testDatabase(t, {
  migrate: async (url) => {
    await query(
      url,
      `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE);
       CREATE TABLE todos (
         id serial PRIMARY KEY,
         user_id int NOT NULL REFERENCES users(id),
         title varchar(10) NOT NULL CHECK (title <> ''),
         priority smallint,
         due date,
         UNIQUE (user_id, title)
       );
       INSERT INTO users (email) VALUES ('ada@example.com');
       INSERT INTO todos (user_id, title) VALUES (1, 'milk');`,
    )
  },
})

/** Run SQL that must fail and give back what the translator makes of the error. */
async function translated(sql: string, values: unknown[] = []) {
  const error = await query(url, sql, values).then(
    () => {
      throw new Error(`expected this to fail: ${sql}`)
    },
    (error: unknown) => error,
  )
  return databaseErrorTranslator(error)
}

function answer(error: HttpError | undefined) {
  return error && { statusCode: error.statusCode, code: error.code, message: error.message }
}

t.test('a duplicate unique value is a 409 naming the field, not the value', async (t) => {
  const error = await translated(`INSERT INTO users (email) VALUES ('ada@example.com')`)
  t.type(error, HttpError)
  t.same(answer(error), {
    statusCode: 409,
    code: 'ALREADY_EXISTS',
    message: 'Another record already has this email.',
  })
})

t.test('a duplicate across two columns names both', async (t) => {
  const error = await translated(`INSERT INTO todos (user_id, title) VALUES (1, 'milk')`)
  t.equal(error?.message, 'Another record already has this user_id and title.')
})

t.test('a reference to a missing row is a 409 REFERENCE_NOT_FOUND', async (t) => {
  const error = await translated(`INSERT INTO todos (user_id, title) VALUES (99, 'eggs')`)
  t.same(answer(error), {
    statusCode: 409,
    code: 'REFERENCE_NOT_FOUND',
    message: 'The user_id refers to something that does not exist.',
  })
})

t.test('deleting a row others still refer to is a 409 STILL_REFERENCED', async (t) => {
  const error = await translated('DELETE FROM users WHERE id = 1')
  t.equal(error?.statusCode, 409)
  t.equal(error?.code, 'STILL_REFERENCED')
})

t.test('a missing required value is a 400 naming the field', async (t) => {
  const error = await translated('INSERT INTO todos (user_id, title) VALUES (1, NULL)')
  t.same(answer(error), { statusCode: 400, code: 'INVALID_INPUT', message: '"title" is required.' })
})

t.test('a broken check rule is a 400', async (t) => {
  const error = await translated(`INSERT INTO todos (user_id, title) VALUES (1, '')`)
  t.equal(error?.statusCode, 400)
  t.equal(error?.code, 'INVALID_INPUT')
  t.match(error?.message, /todos_title_check/)
})

t.test('text that is not a number is a 400', async (t) => {
  const error = await translated('SELECT * FROM todos WHERE id = $1', ['seven'])
  t.same(answer(error), {
    statusCode: 400,
    code: 'INVALID_INPUT',
    message: 'A value is not a valid integer.',
  })
})

t.test('a value that is too long is a 400 giving the limit', async (t) => {
  const error = await translated(
    `INSERT INTO todos (user_id, title) VALUES (1, 'far too long a title')`,
  )
  t.same(answer(error), {
    statusCode: 400,
    code: 'INVALID_INPUT',
    message: 'A value is too long (at most 10 characters).',
  })
})

t.test('a number out of range is a 400', async (t) => {
  const error = await translated(
    `INSERT INTO todos (user_id, title, priority) VALUES (1, 'a', 99999)`,
  )
  t.same(answer(error), {
    statusCode: 400,
    code: 'INVALID_INPUT',
    message: 'A number is out of range.',
  })
})

t.test('a date that does not exist is a 400', async (t) => {
  const bad = await translated(`INSERT INTO todos (user_id, title, due) VALUES (1, 'b', 'soon')`)
  t.equal(bad?.code, 'INVALID_INPUT')
  const overflow = await translated(
    `INSERT INTO todos (user_id, title, due) VALUES (1, 'c', '2026-02-30')`,
  )
  t.same(answer(overflow), {
    statusCode: 400,
    code: 'INVALID_INPUT',
    message: 'A date or time is not valid.',
  })
})

t.test('no message ever contains SQL or table names', async (t) => {
  for (const sql of [
    `INSERT INTO users (email) VALUES ('ada@example.com')`,
    `INSERT INTO todos (user_id, title) VALUES (99, 'eggs')`,
    'DELETE FROM users WHERE id = 1',
  ]) {
    const error = await translated(sql)
    t.notMatch(error?.message, /INSERT|DELETE|users|todos|ada@example\.com/)
  }
})

t.test('a refused connection is a 503 DATABASE_UNAVAILABLE', async (t) => {
  const port = await freePort()
  const error = await query(`postgres://postgres:postgres@127.0.0.1:${port}/x`, 'SELECT 1').catch(
    (error: unknown) => error,
  )
  t.same(answer(databaseErrorTranslator(error)), {
    statusCode: 503,
    code: 'DATABASE_UNAVAILABLE',
    message: 'The database is not available right now. Please try again in a moment.',
  })
})

t.test('a connection closed by the server is a 503', async (t) => {
  const client = new (await import('pg')).default.Client(url)
  client.on('error', () => {})
  await client.connect()
  t.teardown(() => client.end().catch(() => {}))
  const { rows } = await client.query('SELECT pg_backend_pid() AS pid')
  await query(url, 'SELECT pg_terminate_backend($1)', [rows[0].pid])
  const error = await client.query('SELECT 1').catch((error: unknown) => error)
  t.equal(databaseErrorTranslator(error)?.statusCode, 503)
})

t.test('other connection failures are 503s too', async (t) => {
  const cases: unknown[] = [
    Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }),
    Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated due to connection timeout'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    new Error('query failed', { cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' }) }),
  ]
  for (const error of cases) {
    t.equal(databaseErrorTranslator(error)?.code, 'DATABASE_UNAVAILABLE', String(error))
  }
})

t.test('a serialization failure or deadlock is a 409 CONFLICT_RETRY', async (t) => {
  for (const code of ['40001', '40P01']) {
    const error = databaseErrorTranslator(Object.assign(new Error('conflict'), { code }))
    t.same(answer(error), {
      statusCode: 409,
      code: 'CONFLICT_RETRY',
      message: 'Another request changed the same data at the same time. Please try again.',
    })
  }
})

t.test('anything else is left alone (and becomes a 500)', async (t) => {
  t.equal(await translated('SELECT * FROM no_such_table'), undefined)
  t.equal(databaseErrorTranslator(new Error('boom')), undefined)
  t.equal(databaseErrorTranslator('a string'), undefined)
  t.equal(databaseErrorTranslator(undefined), undefined)
})
