import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { platform } from 'node:os'
import { join } from 'node:path'
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.js'
import { isAlive, stopServer } from './lockfile.js'
import { sharedTempDir } from './paths.js'
import { freePort } from './ports.js'
import { postgresOwner } from './postgres.js'

/**
 * Settings for servers whose data may be lost: never wait for the disk. 2000 one-by-one inserts
 * take 0.4 s instead of 1.5-2 s. More connections than the default 100 let many test files (each
 * with its own pool) run at once; only on Linux, where they cost nothing (macOS has small
 * semaphore limits).
 */
const TEST_SETTINGS: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  ...(platform() === 'linux' ? { max_connections: '300' } : {}),
}

export interface ThrowawayServer {
  /** The admin URL (database "postgres"). */
  url: string
  port: number
  dataDir: string
  /** Stop the server, keeping its data (start() brings it back on the same port). */
  stop(): Promise<void>
  start(): Promise<void>
  /** Stop the server and delete its data folder. */
  remove(): Promise<void>
}

/** A Postgres of its own in a temporary folder, on a free port, for tests. */
export async function startThrowawayServer(): Promise<ThrowawayServer> {
  const owner = postgresOwner()
  const temp = sharedTempDir(owner)
  await removeAbandoned(temp)
  const folder = await mkdtemp(join(temp, PREFIX))
  await writeFile(join(folder, 'owner'), String(process.pid))
  // mkdtemp makes a private folder; as root, the `postgres` user has to get in.
  if (owner) await chmod(folder, 0o755)
  const dataDir = join(folder, 'data')
  const log = () => {}
  const start = (port: number) =>
    startEmbeddedPostgres({ dataDir, port, log, settings: TEST_SETTINGS })
  let port = await freePort()
  let server: EmbeddedPostgres | undefined
  try {
    server = await start(port).catch(async (error: Error) => {
      // Another program took the free port between our check and the start: try another.
      if (!error.message.startsWith(`Port ${port} is in use`)) throw error
      port = await freePort()
      return start(port)
    })
  } catch (error) {
    await rm(folder, { recursive: true, force: true })
    throw error
  }
  const url = server.url
  return {
    url,
    port,
    dataDir,
    async stop() {
      await server?.stop()
      server = undefined
    },
    async start() {
      server ??= await start(port)
    },
    async remove() {
      await server?.stop()
      server = undefined
      await rm(folder, { recursive: true, force: true })
    },
  }
}

const PREFIX = 'kitchen-test-'

/**
 * Test servers whose process was killed outright (kill -9, a closed terminal) cannot clean up
 * after themselves. The next run stops them and deletes their folders: each `owner` file
 * names the process that made the folder.
 */
async function removeAbandoned(temp: string): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(temp)
  } catch {
    return
  }
  for (const entry of entries.filter((name) => name.startsWith(PREFIX))) {
    const folder = join(temp, entry)
    const pid = Number(await readFile(join(folder, 'owner'), 'utf8').catch(() => ''))
    if (pid > 0 && isAlive(pid)) continue
    // No owner file yet: maybe being created right now, so only clear it once it is old.
    const made = await stat(folder).then(
      (info) => info.mtimeMs,
      () => 0,
    )
    if (!pid && Date.now() - made < 60_000) continue
    await stopServer(join(folder, 'data')).catch(() => {})
    await rm(folder, { recursive: true, force: true })
  }
}
