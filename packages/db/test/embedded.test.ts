import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { freePort, portAnswers } from '@kitchen/servers'
import t from 'tap'
import {
  embeddedLocation,
  embeddedStatus,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
} from '../src/embedded.js'
import { explainStartFailure } from '../src/launch.js'
import { query, setEnv, tempFolder } from './helpers.js'

const quiet = () => {}

// One data folder for the whole file: setting one up is the slow part (about 0.4 s).
const folder = await tempFolder(t)
const dataDir = join(folder, 'data')
const port = await freePort()
t.teardown(() => stopEmbeddedPostgres({ dataDir }))

t.test('sets up a new data folder, starts, and says so', async (t) => {
  const lines: string[] = []
  const server = await startEmbeddedPostgres({ dataDir, port, log: (line) => lines.push(line) })
  t.teardown(() => server.stop())
  t.ok(server.startedByUs)
  t.equal(server.url, `postgres://postgres:postgres@127.0.0.1:${port}/postgres`)
  t.equal(server.dataDir, dataDir)
  t.match(lines, [/Setting up the database for the first time/])
  t.ok(existsSync(join(dataDir, 'PG_VERSION')))
  const { rows } = await query(server.url, 'SELECT current_user AS user')
  t.equal(rows[0].user, 'postgres')
})

t.test('reuses a running server, and stop() on the reused one leaves it running', async (t) => {
  const first = await startEmbeddedPostgres({ dataDir, port, log: quiet })
  t.teardown(() => first.stop())
  const second = await startEmbeddedPostgres({ dataDir, port, log: quiet })
  t.notOk(second.startedByUs)
  t.equal(second.url, first.url)
  await second.stop()
  t.ok(await portAnswers(port), 'still running')
  await first.stop()
  t.notOk(await portAnswers(port), 'stopped by the one that started it')
})

t.test('reports whether it is running without starting it', async (t) => {
  t.equal((await embeddedStatus({ dataDir, port })).running, false)
  const server = await startEmbeddedPostgres({ dataDir, port, log: quiet })
  t.teardown(() => server.stop())
  const status = await embeddedStatus({ dataDir, port })
  t.equal(status.running, true)
  t.equal(status.url, server.url)
})

t.test('after node is killed with kill -9, the next start reuses its server', async (t) => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures/start-server.ts'),
      dataDir,
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const [chunk] = await once(child.stdout, 'data')
  t.equal(String(chunk).trim(), 'ready')
  child.kill('SIGKILL')
  await once(child, 'exit')

  const server = await startEmbeddedPostgres({ dataDir, port, log: quiet })
  t.notOk(server.startedByUs, 'the orphaned server is still healthy, so it is reused')
  t.equal((await query(server.url, 'SELECT 1 AS one')).rows[0].one, 1)
  t.ok(await stopEmbeddedPostgres({ dataDir }), 'and it can be stopped by PID')
  t.notOk(await portAnswers(port))
})

t.test('keeps running after its starter stops while another process still uses it', async (t) => {
  const lines: string[] = []
  const server = await startEmbeddedPostgres({ dataDir, port, log: (line) => lines.push(line) })
  t.ok(server.startedByUs)
  const other = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures/start-server.ts'),
      dataDir,
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  t.teardown(() => other.kill('SIGKILL'))
  await once(other.stdout, 'data')

  await server.stop()
  t.ok(await portAnswers(port), 'still running for the other process')
  t.match(lines, [/keeps running: another program \(PID \d+\) still uses it/])

  other.kill('SIGKILL')
  await once(other, 'exit')
  t.ok(await stopEmbeddedPostgres({ dataDir }))
})

t.test('removes a lock file whose process is gone, then starts', async (t) => {
  const finished = spawn(process.execPath, ['-e', ''])
  await once(finished, 'exit')
  writeFileSync(join(dataDir, 'postmaster.pid'), `${finished.pid}\n${dataDir}\n0\n${port}\n`)
  const lines: string[] = []
  const server = await startEmbeddedPostgres({ dataDir, port, log: (line) => lines.push(line) })
  t.teardown(() => server.stop())
  t.ok(server.startedByUs)
  t.match(lines, [/stale lock file/])
})

t.test('removes a lock file whose PID now belongs to another program', async (t) => {
  // Our own PID: alive, but not Postgres (what a reboot or a container restart leads to).
  writeFileSync(join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n0\n${port}\n`)
  const server = await startEmbeddedPostgres({ dataDir, port, log: quiet })
  t.teardown(() => server.stop())
  t.ok(server.startedByUs)
})

t.test('a busy port is an error that says what to do', async (t) => {
  const busy = createServer()
  await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve))
  t.teardown(() => busy.close())
  await t.rejects(startEmbeddedPostgres({ dataDir, port, log: quiet }), {
    name: 'EmbeddedPostgresError',
    message: `Port ${port} is in use by another program: set KITCHEN_DB_PORT to another port (such as ${port + 1}) or stop that program.`,
  })
})

t.test("Postgres's start-up failures become advice", async (t) => {
  const lockLog =
    'FATAL:  lock file "postmaster.pid" already exists\nHINT:  Is another postmaster (PID 4242) running in data directory "/x"?'
  t.match(explainStartFailure(lockLog, 5, '/x'), /Another Postgres \(PID 4242\).*pnpm db stop/)
  t.match(
    explainStartFailure(
      'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
      7,
      '/x',
    ),
    /Port 7 is in use/,
  )
  t.match(
    explainStartFailure('FATAL:  database files are incompatible with server', 7, '/x'),
    /pnpm db reset/,
  )
  t.match(explainStartFailure('something odd', 7, '/x'), /The end of its log .*\nsomething odd/)
})

t.test('KITCHEN_DB_PORT and KITCHEN_DB_DIR choose the port and folder', async (t) => {
  setEnv(t, { KITCHEN_DB_PORT: '6543', KITCHEN_DB_DIR: join(folder, 'elsewhere') })
  const location = embeddedLocation()
  t.equal(location.port, 6543)
  t.equal(location.dataDir, join(folder, 'elsewhere'))
})

t.test('a KITCHEN_DB_PORT that is not a port is a clear error', async (t) => {
  setEnv(t, { KITCHEN_DB_PORT: 'abc' })
  t.throws(() => embeddedLocation(), { message: /KITCHEN_DB_PORT must be a port number/ })
})

t.test('the default data folder is .pgdata/dev in the repository', async (t) => {
  setEnv(t, { KITCHEN_DB_PORT: undefined, KITCHEN_DB_DIR: undefined })
  const location = embeddedLocation()
  t.equal(location.port, 54329)
  t.match(location.dataDir, location.fallback ? /backend-kitchen-\w+\/dev$/ : /\.pgdata\/dev$/)
})
