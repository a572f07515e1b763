import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { checkDatabaseName, maskPassword, withClient, withDatabase } from '@kitchen/db'
import { privateTestServer } from '@kitchen/db/testing'

/** How long the embedded Postgres took to become ready, in milliseconds. */
export interface StartupTimes {
  /** initdb on an empty temporary folder, then the first start. */
  cold: number
  /** Stopped, then started again on the folder the cold start initialised. */
  warm: number
}

/** The Postgres one bench run uses: a throwaway embedded one, or the server at DATABASE_URL. */
export interface BenchPostgres {
  /** Where it is, password hidden, for the output. */
  description: string
  /** Undefined when DATABASE_URL was used (nothing was started, so nothing was timed). */
  startup?: StartupTimes
  /**
   * A database for one lesson: its own schema function, then SEEDED_TODOS to-dos when it has a
   * `todos` table. Cached per lesson: the targets of one lesson share it.
   */
  prepare(lessonDir: string): Promise<BenchDatabase>
  /** Drop the databases, stop the server and delete its folder. Safe to call twice. */
  close(): Promise<void>
}

export interface BenchDatabase {
  url: string
  todoIds: number[]
}

/** How many to-dos each bench database holds. */
export const SEEDED_TODOS = 1000

/** Settings the throwaway server uses (packages/db's throwaway.ts): it never waits for the disk. */
export const FAST_SETTINGS = 'fsync, synchronous_commit and full_page_writes off'

/**
 * Start the bench's Postgres: the server at DATABASE_URL when that is set, else a throwaway
 * embedded one in a temporary folder, timed from cold and warm.
 */
export async function startBenchPostgres(log: (text: string) => void): Promise<BenchPostgres> {
  const fromEnv = process.env.DATABASE_URL
  if (fromEnv) {
    return benchPostgres(
      fromEnv,
      `DATABASE_URL (${maskPassword(fromEnv)})`,
      undefined,
      async () => {},
    )
  }
  // privateTestServer is the test helper behind `with-test-database`'s throwaway servers: its
  // own temporary folder and free port, removed by the teardown we collect here.
  const teardowns: (() => unknown)[] = []
  const teardown = async () => {
    for (const fn of teardowns.splice(0).reverse()) await fn()
  }
  try {
    log('embedded Postgres: cold start (initdb on an empty folder, then start)')
    let started = performance.now()
    const server = await privateTestServer({ teardown: (fn) => teardowns.push(fn) })
    const cold = performance.now() - started
    log('embedded Postgres: warm start (stop, then start on the same folder)')
    await server.stop()
    started = performance.now()
    await server.start()
    const warm = performance.now() - started
    const port = new URL(server.url).port
    return benchPostgres(
      server.url,
      `a throwaway embedded Postgres on port ${port} (${FAST_SETTINGS}: fine for data that may be lost)`,
      { cold, warm },
      teardown,
    )
  } catch (error) {
    await teardown()
    throw error
  }
}

function benchPostgres(
  adminUrl: string,
  description: string,
  startup: StartupTimes | undefined,
  stopBenchServer: () => Promise<void>,
): BenchPostgres {
  const prepared = new Map<string, Promise<BenchDatabase>>()
  const created: string[] = []
  let closed = false
  return {
    description,
    startup,
    prepare(lessonDir) {
      let database = prepared.get(lessonDir)
      if (!database) {
        // The pid keeps two runs against one DATABASE_URL apart.
        const slug = basename(lessonDir).replaceAll('-', '_').toLowerCase()
        const name = checkDatabaseName(`bench_${process.pid}_${slug}`.slice(0, 63))
        created.push(name)
        database = createBenchDatabase(adminUrl, name, lessonDir)
        prepared.set(lessonDir, database)
      }
      return database
    },
    async close() {
      if (closed) return
      closed = true
      try {
        await withClient(adminUrl, async (client) => {
          for (const name of created) {
            await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
          }
        })
      } catch {
        // The server is gone already: nothing left to drop.
      } finally {
        await stopBenchServer()
      }
    },
  }
}

async function createBenchDatabase(
  adminUrl: string,
  name: string,
  lessonDir: string,
): Promise<BenchDatabase> {
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = withDatabase(adminUrl, name)
  const makeSchema = await schemaFunction(lessonDir)
  await makeSchema(url)
  const todoIds = await withClient(url, async (client) => {
    // The capstone is another app: no to-dos (its targets seed their own data in their setup).
    const { rows: tables } = await client.query(`select to_regclass('todos') as todos`)
    if (tables[0]?.todos === null) return []
    const { rows } = await client.query<{ id: number }>(
      `insert into todos (title) select 'To-do number ' || i from generate_series(1, $1::int) as i returning id`,
      [SEEDED_TODOS],
    )
    // A fresh table, but VACUUM ANALYZE makes the planner's statistics match the run.
    await client.query('vacuum analyze todos')
    return rows.map((row) => row.id)
  })
  return { url, todoIds }
}

/**
 * The lesson's own way of creating its tables: `migrateToLatest(url)` from src/db/migrate.ts
 * (lesson 09 on), else `createSchema(url)` from src/db/schema.ts (lessons 07 and 08).
 */
export async function schemaFunction(lessonDir: string): Promise<(url: string) => Promise<void>> {
  const candidates = [
    { file: 'src/db/migrate.ts', exported: 'migrateToLatest' },
    { file: 'src/db/schema.ts', exported: 'createSchema' },
  ]
  for (const { file, exported } of candidates) {
    const path = join(lessonDir, file)
    if (!existsSync(path)) continue
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>
    const fn = module[exported]
    if (typeof fn === 'function') return fn as (url: string) => Promise<void>
  }
  throw new Error(
    `${basename(lessonDir)} has neither src/db/migrate.ts (migrateToLatest) nor src/db/schema.ts (createSchema)`,
  )
}
