import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { platform } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@kitchen/servers'
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.js'
import { isAlive, stopServer } from './lockfile.js'
import { sharedTempDir } from './paths.js'
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
  /**
   * Freeze the server and all its processes (SIGSTOP), as a hung machine would: connections
   * stay open but nothing answers. resume() (SIGCONT) thaws it. Not on Windows.
   */
  pause(): void
  resume(): void
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
    pause() {
      signalServer(dataDir, 'SIGSTOP')
    },
    resume() {
      signalServer(dataDir, 'SIGCONT')
    },
    async remove() {
      signalServer(dataDir, 'SIGCONT') // a frozen server cannot stop
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

/** Send a signal to a running server's main process (from postmaster.pid) and its children. */
function signalServer(dataDir: string, signal: 'SIGSTOP' | 'SIGCONT'): void {
  let main: number
  try {
    main = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  } catch {
    return // not running: nothing to freeze or thaw
  }
  for (const pid of [main, ...childrenOf(main)]) {
    try {
      process.kill(pid, signal)
    } catch {
      // the process ended meanwhile
    }
  }
}

/** The processes whose parent is `parent`: from /proc on Linux, from `pgrep -P` elsewhere. */
function childrenOf(parent: number): number[] {
  if (platform() === 'linux') {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          // /proc/<pid>/stat: "pid (name) state ppid …"; the name may hold spaces.
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent
        } catch {
          return false
        }
      })
      .map(Number)
  }
  try {
    return execFileSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    return [] // pgrep exits 1 when there are none
  }
}
