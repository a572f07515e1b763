import { createServer } from 'node:net'
import { testDatabase } from '@kitchen/db/testing'
import pg from 'pg'
import t from 'tap'
import { constraintViolation, isDatabaseUnavailable, isInvalidText } from '../src/db/errors.js'

/** Run SQL on a connection of its own. */
async function query(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client(url)
  client.on('error', () => {})
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end().catch(() => {})
  }
}

/** Run SQL that must fail, and give back the error it fails with. */
async function failure(url: string, text: string, values: unknown[] = []): Promise<unknown> {
  return query(url, text, values).then(
    () => {
      throw new Error(`expected this to fail: ${text}`)
    },
    (error: unknown) => error,
  )
}

/** A port on this machine where nothing listens. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

// One database for the whole file, with a few tables whose constraints the tests break.
const url = await testDatabase(t, {
  migrate: async (url) => {
    await query(
      url,
      `create table users (id int primary key, email text unique);
       create table notes (id int primary key, user_id int references users, title text,
                           unique (user_id, title));
       create table tags (note_id int references notes on delete restrict);
       insert into users values (1, 'ada@example.com');
       insert into notes values (1, 1, 'milk');
       insert into tags values (1);`,
    )
  },
})

t.test('a refused connection means the database is unavailable', async (t) => {
  const nowhere = `postgres://postgres:postgres@127.0.0.1:${await freePort()}/nothing`
  t.equal(isDatabaseUnavailable(await failure(nowhere, 'select 1')), true)
})

t.test('a connection closed by the server means the database is unavailable', async (t) => {
  const client = new pg.Client(url)
  client.on('error', () => {})
  await client.connect()
  t.teardown(() => client.end().catch(() => {}))
  const { rows } = await client.query('select pg_backend_pid() as pid')
  await query(url, 'select pg_terminate_backend($1)', [rows[0].pid])
  const error = await client.query('select 1').catch((error: unknown) => error)
  t.equal(isDatabaseUnavailable(error), true)
})

t.test('other connection failures mean unavailable too', async (t) => {
  const cases: unknown[] = [
    Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    Object.assign(new Error('password authentication failed'), { code: '28P01' }),
    Object.assign(new Error('database "x" does not exist'), { code: '3D000' }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Query read timeout'),
    Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    new Error('query failed', { cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' }) }),
  ]
  for (const error of cases) t.equal(isDatabaseUnavailable(error), true, String(error))
})

t.test('a mistake in a query is not an unavailable database (it stays a 500)', async (t) => {
  t.equal(isDatabaseUnavailable(await failure(url, 'select * from no_such_table')), false)
  t.equal(isDatabaseUnavailable(await failure(url, 'selec 1')), false)
  t.equal(isDatabaseUnavailable(new Error('boom')), false)
  t.equal(isDatabaseUnavailable('a string'), false)
  t.equal(isDatabaseUnavailable(undefined), false)
})

t.test('a duplicate value breaks a unique constraint, naming the column', async (t) => {
  const error = await failure(url, `insert into users values (2, 'ada@example.com')`)
  t.same(constraintViolation(error), { kind: 'unique', columns: ['email'] })
})

t.test('a duplicate across two columns names both', async (t) => {
  const error = await failure(url, `insert into notes values (2, 1, 'milk')`)
  t.same(constraintViolation(error), { kind: 'unique', columns: ['user_id', 'title'] })
})

t.test('a reference to a row that does not exist breaks a foreign key', async (t) => {
  const error = await failure(url, `insert into notes values (3, 99, 'eggs')`)
  t.same(constraintViolation(error), { kind: 'foreign-key', columns: ['user_id'] })
})

t.test('deleting a row that others still refer to is told apart', async (t) => {
  const error = await failure(url, 'delete from users where id = 1')
  t.same(constraintViolation(error), { kind: 'still-referenced', columns: ['id'] })
  // ON DELETE RESTRICT refuses with a code of its own, 23001
  const restricted = await failure(url, 'delete from notes where id = 1')
  t.same(constraintViolation(restricted), { kind: 'still-referenced', columns: ['id'] })
})

t.test('text with a NUL character is refused by Postgres as invalid text (22021)', async (t) => {
  const error = await failure(url, 'select $1::text', ['a\u0000b'])
  t.equal(isInvalidText(error), true)
  t.equal(isInvalidText(await failure(url, 'selec 1')), false)
  t.equal(isInvalidText(undefined), false)
})

t.test('any other error breaks no constraint', async (t) => {
  t.equal(constraintViolation(await failure(url, 'select * from no_such_table')), undefined)
  t.equal(constraintViolation(await failure(url, 'insert into users values (null)')), undefined)
  t.equal(constraintViolation(new Error('boom')), undefined)
  t.equal(constraintViolation(undefined), undefined)
})
