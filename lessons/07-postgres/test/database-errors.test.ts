import { createServer } from 'node:net'
import { testDatabase } from '@kitchen/db/testing'
import pg from 'pg'
import t from 'tap'
import { isDatabaseUnavailable } from '../src/db/errors.js'

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

// One empty database for the whole file.
const url = await testDatabase(t)

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
