import { createHash, randomBytes } from 'node:crypto'
import { type Dirent, existsSync, readdirSync, readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { basename, dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { Teardown } from '@kitchen/testing'
import pg from 'pg'
import { withClient, withDatabase } from './connection.js'
import { startThrowawayServer } from './throwaway.js'

export type { Teardown }

export interface TestDatabaseOptions {
  /** Create the tables (run the migrations) in the new database before the test uses it. */
  migrate?: (url: string) => Promise<void>
  /**
   * Reuse the migrated result (default: true). `migrate` then runs once per test run into a
   * template database, and every test database is a copy of it. Set false when `migrate`
   * depends on something other than its own source and the calling package's files (a value
   * it closes over, say), so that it runs on each new database instead.
   */
  template?: boolean
}

/** Names of the databases made here: plain identifiers, never quoted. */
const TEST_PREFIX = 'test_'
export const TEMPLATE_PREFIX = 'tpl_'
/**
 * with-test-database sets this when it runs on a server it did not start (your own
 * DATABASE_URL): templates made during the run carry it in their comment, and the run drops
 * them at its end.
 */
export const RUN_ENV = 'KITCHEN_TEST_RUN'

/**
 * A fresh database for one test (or one test file), dropped when the test ends:
 *   const url = await testDatabase(t, { migrate })
 * It lives on the server at DATABASE_URL, which `with-test-database` (a database lesson's
 * `pnpm test`) starts once for the whole run.
 *
 * With `migrate`, the migrations run once per run into a template database, and each test's
 * database is a copy of that template (CREATE DATABASE … TEMPLATE), which costs about as much
 * as an empty one. The template's name comes from the calling package's folder and a hash of
 * its files and of `migrate`'s source, so a changed migration gets a new template.
 */
export async function testDatabase(
  t: Teardown,
  options: TestDatabaseOptions = {},
): Promise<string> {
  const adminUrl = requireAdminUrl()
  const { migrate } = options
  const name = `${TEST_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`
  const url = withDatabase(adminUrl, name)
  if (migrate && options.template !== false) {
    const key = templateKey(migrate, callerFile())
    await createFromTemplate(adminUrl, name, key, migrate)
    // Teardowns run last-registered first, so the app and its pool close before this drop.
    t.teardown(() => dropDatabase(adminUrl, name))
    return url
  }
  await withClient(adminUrl, async (client) =>
    client.query(`CREATE DATABASE ${name}${await copyStrategy(client)}`),
  )
  t.teardown(() => dropDatabase(adminUrl, name))
  await migrate?.(url)
  return url
}

/** This process's shared databases, one per template: see `cleanDatabase`. */
const sharedDatabases = new Map<string, Promise<string>>()

/**
 * The database this test process shares between its tests, emptied for the calling test:
 * every table's rows removed and its ids counting from 1 again (TRUNCATE … RESTART IDENTITY).
 *   const url = await cleanDatabase({ migrate })
 * Emptying takes a few milliseconds where a new database takes a hundred or more, so most tests
 * use this. A test that changes the schema itself (migrations up and down) or needs two
 * databases takes its own from `testDatabase`. The tests of one process run one after another,
 * so none sees another's rows. The database is made from the same template as `testDatabase`'s
 * and dropped when the process ends.
 */
export async function cleanDatabase(options: {
  migrate: (url: string) => Promise<void>
}): Promise<string> {
  const adminUrl = requireAdminUrl()
  const key = templateKey(options.migrate, callerFile())
  let shared = sharedDatabases.get(key.name)
  if (!shared) {
    shared = createShared(adminUrl, key, options.migrate)
    sharedDatabases.set(key.name, shared)
    shared.catch(() => sharedDatabases.delete(key.name))
  }
  const url = await shared
  await emptyTables(url)
  return url
}

/** One connection per shared database, kept open between tests, and the statement it sends. */
const emptiers = new Map<string, Promise<() => Promise<void>>>()

/**
 * Remove every table's rows, ids counting from 1 again. A connection of its own, kept open:
 * connecting and looking up the tables cost the server three times what the TRUNCATE does,
 * and a lesson's tests empty the database a few hundred times.
 */
async function emptyTables(url: string): Promise<void> {
  let empty = emptiers.get(url)
  if (!empty) {
    empty = openEmptier(url)
    emptiers.set(url, empty)
    empty.catch(() => emptiers.delete(url))
  }
  await (await empty)()
}

async function openEmptier(url: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  client.on('error', () => emptiers.delete(url)) // a broken connection: the next test opens one
  await client.connect()
  // Every table but Kysely's own record of which migrations ran. The tables of a shared
  // database do not change: tests that change the schema take a database of their own.
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I', tablename) AS name FROM pg_tables
     WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely\\_%'`,
  )
  const tables = rows.map((row) => row.name)
  const statement = await emptyingStatement(client, tables)
  // Between tests the connection waits unreferenced: it must not keep the process alive, or
  // the process never reaches 'beforeExit', where it ends and the database is dropped.
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream
  socket.unref()
  process.once('beforeExit', () => void client.end().catch(() => {}))
  return async () => {
    if (!statement) return
    socket.ref()
    try {
      await client.query(statement)
    } finally {
      socket.unref()
    }
  }
}

/**
 * What empties the tables. As a superuser (the test server's), DELETE with the foreign key
 * checks off for this connection (`session_replication_role = replica`), then every sequence
 * back to 1: for tables of a few rows that costs the server a fifth of a TRUNCATE, which makes
 * new files for every table. As anyone else, TRUNCATE … RESTART IDENTITY CASCADE.
 */
async function emptyingStatement(client: pg.Client, tables: string[]): Promise<string> {
  if (tables.length === 0) return ''
  try {
    await client.query('SET session_replication_role = replica')
  } catch {
    return `TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`
  }
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I', sequencename) AS name FROM pg_sequences WHERE schemaname = 'public'`,
  )
  const deletes = tables.map((table) => `DELETE FROM ${table}`)
  const restarts = rows.map((row) => `ALTER SEQUENCE ${row.name} RESTART`)
  return [...deletes, ...restarts].join('; ')
}

async function createShared(
  adminUrl: string,
  key: TemplateKey,
  migrate: (url: string) => Promise<void>,
): Promise<string> {
  const name = `${TEST_PREFIX}${process.pid}_shared_${randomBytes(4).toString('hex')}`
  await createFromTemplate(adminUrl, name, key, migrate)
  // Dropped when the process has nothing left to do (beforeExit allows this last async work).
  let dropped = false
  process.on('beforeExit', () => {
    if (dropped) return
    dropped = true
    void dropDatabase(adminUrl, name)
  })
  return withDatabase(adminUrl, name)
}

function requireAdminUrl(): string {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    throw new Error(
      'DATABASE_URL is not set, so there is no server for test databases. Run the tests with `pnpm test` (or `with-test-database tap`), which starts one.',
    )
  }
  return adminUrl
}

/** Templates this process has made sure of, by name. */
const readyTemplates = new Map<string, Promise<void>>()

async function createFromTemplate(
  adminUrl: string,
  name: string,
  key: TemplateKey,
  migrate: (url: string) => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let ready = readyTemplates.get(key.name)
    if (!ready) {
      ready = ensureTemplate(adminUrl, key.name, migrate)
      readyTemplates.set(key.name, ready)
      ready.catch(() => readyTemplates.delete(key.name))
    }
    await ready
    try {
      await withClient(adminUrl, async (client) =>
        client.query(`CREATE DATABASE ${name} TEMPLATE ${key.name}${await copyStrategy(client)}`),
      )
      return
    } catch (error) {
      // 3D000: the template went away (another run on your own server dropped it at its end).
      // Make it again once.
      if (errorCode(error) !== '3D000' || attempt > 1) throw error
      readyTemplates.delete(key.name)
    }
  }
}

/**
 * Make the template unless it exists. An advisory lock keeps the test files of one run (each
 * a process of its own) from building it at the same time: the first builds, the rest wait and
 * then find it. It is built under a temporary name and renamed when complete, so a build that
 * was killed half-way is never used.
 */
async function ensureTemplate(
  adminUrl: string,
  template: string,
  migrate: (url: string) => Promise<void>,
): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [template])
    try {
      if (await databaseExists(client, template)) return
      const building = `${template.slice(0, 54)}_building`
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`)
      await client.query(`CREATE DATABASE ${building}`)
      try {
        await migrate(withDatabase(adminUrl, building))
        // Nobody may connect to a template (CREATE DATABASE … TEMPLATE refuses one that is in
        // use); the connections `migrate` used may still be closing, so wait for them.
        await client.query(`ALTER DATABASE ${building} WITH ALLOW_CONNECTIONS false`)
        await closeConnections(client, building)
        await client.query(`ALTER DATABASE ${building} RENAME TO ${template}`)
        const run = process.env[RUN_ENV] ?? ''
        await client.query(`COMMENT ON DATABASE ${template} IS 'kitchen test template ${run}'`)
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`).catch(() => {})
        throw error
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [template]).catch(() => {})
    }
  })
}

const strategies = new Map<string, Promise<string>>()

/**
 * How CREATE DATABASE copies: on the test server (fsync off, Postgres 15 or newer) copying the
 * files is 3-4 times faster than the default (WAL_LOG): a copy of a small template takes about
 * 12 ms instead of 45. On a server of your own (fsync on), the default, which avoids the
 * checkpoints that FILE_COPY forces.
 */
function copyStrategy(client: pg.Client): Promise<string> {
  const server = `${client.host}:${client.port}`
  let strategy = strategies.get(server)
  if (strategy) return strategy
  strategy = client
    .query<{ fsync: string; version: string }>(
      `SELECT current_setting('fsync') AS fsync, current_setting('server_version_num') AS version`,
    )
    .then(({ rows: [row] }) =>
      row?.fsync === 'off' && Number(row.version) >= 150000 ? ' STRATEGY FILE_COPY' : '',
    )
  strategies.set(server, strategy)
  return strategy
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
  return Boolean(rowCount)
}

/**
 * Wait until no one is connected to the database, then end whoever still is. A pool's
 * `end()` resolves before the server has seen its connections go; ending them at that moment
 * (`DROP DATABASE … WITH (FORCE)` straight away) sends "terminating connection due to
 * administrator command" (57P01) to a client that is half-way through closing, which fails
 * the test on a busy machine. So wait first (up to 2 s), and force only connections that a
 * test left open.
 */
async function closeConnections(client: pg.Client, name: string): Promise<void> {
  const others = 'FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()'
  for (let waited = 0; waited < 2000; waited += 20) {
    const { rowCount } = await client.query(`SELECT 1 ${others}`, [name])
    if (!rowCount) return
    await sleep(20)
  }
  await client.query(`SELECT pg_terminate_backend(pid) ${others}`, [name])
}

/**
 * Drop a test database once its connections have closed. A database that cannot be dropped is
 * left behind rather than failing the test: the test server is deleted after the run anyway.
 */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await withClient(adminUrl, async (client) => {
        await closeConnections(client, name)
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      })
      return
    } catch {
      await sleep(100 * attempt)
    }
  }
}

/**
 * Drop the templates that a run marked as its own (see RUN_ENV), for with-test-database on a
 * server it did not start. Returns their names.
 */
export async function dropRunTemplates(adminUrl: string, run: string): Promise<string[]> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database
       WHERE starts_with(datname, $1) AND shobj_description(oid, 'pg_database') = $2`,
      [TEMPLATE_PREFIX, `kitchen test template ${run}`],
    )
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {})
    }
    return rows.map((row) => row.datname)
  })
}

export interface TemplateKey {
  /** tpl_<package folder>_<hash>, at most 63 characters. */
  name: string
  /** The package folder whose files were hashed (undefined: only migrate's source was). */
  packageDir: string | undefined
}

/**
 * Which template fits this `migrate`: one per calling package (the lesson, or its copy in the
 * playground) and per content of that package's src/ and migrations/ folders, plus the
 * source of `migrate` itself. Reruns with nothing changed reuse the template; any change to a
 * migration gives a new name.
 */
export function templateKey(
  migrate: (url: string) => Promise<void>,
  caller: string | undefined,
): TemplateKey {
  const packageDir = caller ? findPackageDir(dirname(caller)) : undefined
  const hash = createHash('sha256')
  hash.update(migrate.toString())
  if (packageDir) hash.update(`\0${packageDir}\0${packageHash(packageDir)}`)
  const slug = (packageDir ? basename(packageDir) : 'anonymous')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 38)
  return { name: `${TEMPLATE_PREFIX}${slug}_${hash.digest('hex').slice(0, 16)}`, packageDir }
}

function packageHash(packageDir: string): string {
  const hash = createHash('sha256')
  for (const folder of ['src', 'migrations']) hashFolder(hash, join(packageDir, folder))
  return hash.digest('hex')
}

function hashFolder(hash: ReturnType<typeof createHash>, folder: string): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(folder, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(folder, entry.name)
    if (entry.isDirectory()) hashFolder(hash, path)
    else if (entry.isFile()) hash.update(`\0${entry.name}\0`).update(readFileSync(path))
  }
}

function findPackageDir(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return undefined
  }
}

const thisFile = fileURLToPath(import.meta.url)

/** The file that called testDatabase: the first stack frame outside this file. */
function callerFile(): string | undefined {
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const match = /(?:\(|at )(file:\/\/[^\s)]+?|\/[^\s()]+?):\d+:\d+\)?$/.exec(line.trim())
    if (!match?.[1]) continue
    const file = match[1].startsWith('file:') ? fileURLToPath(match[1]) : match[1]
    if (file !== thisFile && !file.startsWith('node:')) return file
  }
  return undefined
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

export interface PrivateTestServer {
  /** The admin URL (database "postgres") of this server. */
  url: string
  /** Stop the server: connections break and new ones are refused (ECONNREFUSED). */
  stop(): Promise<void>
  /** Start it again on the same port, with the same data. */
  start(): Promise<void>
  /** Freeze it (SIGSTOP): connections open, but nothing answers, like a hung machine. */
  pause(): void
  /** Thaw it (SIGCONT): everything waiting goes on. */
  resume(): void
}

/**
 * A Postgres server for this test alone, for tests about the database going away (a 503, a
 * reconnecting pool). It is stopped and its folder deleted when the test ends. Starting one
 * takes about half a second, so use `testDatabase` for everything else.
 */
export async function privateTestServer(t: Teardown): Promise<PrivateTestServer> {
  const server = await startThrowawayServer()
  t.teardown(() => server.remove())
  return {
    url: server.url,
    stop: () => server.stop(),
    start: () => server.start(),
    pause: () => server.pause(),
    resume: () => server.resume(),
  }
}
