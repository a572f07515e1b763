import { chmod, mkdir } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { portAnswers, portIsFree } from '@kitchen/servers'
import { launch } from './launch.js'
import {
  isAlive,
  isPostgresProcess,
  type LockFile,
  readLockFile,
  removeLockFile,
  stopServer,
} from './lockfile.js'
import { canReach, dataRoot, firstBlockedFolder, type Owner, repoRoot } from './paths.js'
import {
  dataVersion,
  EmbeddedPostgresError,
  initialise,
  isInitialised,
  postgresOwner,
  postgresPrograms,
} from './postgres.js'
import { addUser, otherUsers, removeUser } from './users.js'

export { DatabaseStartError, EmbeddedPostgresError } from './postgres.js'

/** A Postgres server on this computer that this package started or found running. */
export interface EmbeddedPostgres {
  /** Where to connect as the admin user: database "postgres", user and password "postgres". */
  url: string
  port: number
  dataDir: string
  /** False when we found it already running (then `stop()` leaves it alone). */
  startedByUs: boolean
  /** Stop the server, if this process started it. */
  stop(): Promise<void>
}

export interface EmbeddedPostgresOptions {
  /** The data folder. Default: KITCHEN_DB_DIR, else `<repo>/.pgdata/dev`. */
  dataDir?: string
  /** Default: KITCHEN_DB_PORT, else 54329 (not 5432, to stay clear of a Postgres you installed). */
  port?: number
  /** Where progress messages go. Default: console.log. */
  log?: (line: string) => void
  /** Keep the server running after this process ends (what `pnpm db start` does). */
  background?: boolean
  /** Extra server settings, such as `{ fsync: 'off' }` for throwaway test servers. */
  settings?: Record<string, string>
}

export const DEFAULT_PORT = 54329

/** The admin URL of an embedded server on `port`. */
export function adminUrl(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`
}

export interface EmbeddedLocation {
  dataDir: string
  port: number
  /** True when the data lives in a temporary folder because `postgres` cannot enter the repo. */
  fallback: boolean
  /** The user Postgres runs as when we are root; undefined otherwise. */
  owner: Owner | undefined
}

/** Where the embedded server keeps its data and which port it uses, after env overrides. */
export function embeddedLocation(
  options: Pick<EmbeddedPostgresOptions, 'dataDir' | 'port'> = {},
): EmbeddedLocation {
  const port = options.port ?? portFromEnv() ?? DEFAULT_PORT
  const owner = postgresOwner()
  const chosen = options.dataDir ?? process.env.KITCHEN_DB_DIR
  if (chosen) {
    // A relative KITCHEN_DB_DIR means the same folder whichever package a command runs in.
    const dataDir = isAbsolute(chosen) ? chosen : resolve(repoRoot(), chosen)
    if (owner && !canReach(dataDir, owner)) {
      const blocked = firstBlockedFolder(dataDir, owner)
      throw new EmbeddedPostgresError(
        `Postgres runs as the user "postgres" (we are root), which cannot enter ${blocked}. Choose a data folder under /tmp, or let others enter it: chmod o+x ${blocked}`,
      )
    }
    return { dataDir, port, fallback: false, owner }
  }
  const root = dataRoot(repoRoot(), owner)
  return { dataDir: join(root.dir, 'dev'), port, fallback: root.fallback, owner }
}

function portFromEnv(): number | undefined {
  const text = process.env.KITCHEN_DB_PORT
  if (text === undefined || text === '') return undefined
  const port = Number(text)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new EmbeddedPostgresError(
      `KITCHEN_DB_PORT must be a port number from 1 to 65535 (got ${JSON.stringify(text)}).`,
    )
  }
  return port
}

/**
 * Start the embedded Postgres, setting it up on first use, or reuse the one already running on
 * the same data folder (started by `pnpm db start` or another lesson). Stop it with `stop()`;
 * a server this process started is also stopped when the process exits.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const log = options.log ?? console.log
  const { dataDir, port, fallback, owner } = embeddedLocation(options)

  const running = await findRunningServer(dataDir, log)
  if (running) {
    if (!options.background) addUser(dataDir)
    return handle(dataDir, running.port, false, log)
  }

  if (fallback) {
    log(
      `As root, Postgres runs as the user "postgres", which cannot enter this repository's folder: the database lives in ${dataDir} instead (a temporary folder, which a restart may empty).`,
    )
  }
  if (!isInitialised(dataDir)) {
    log('Setting up the database for the first time (takes a few seconds)...')
    await makeFolder(join(dataDir, '..'), owner)
    await initialise(dataDir, owner)
  } else {
    await checkVersion(dataDir)
  }
  if (!(await portIsFree(port))) {
    throw new EmbeddedPostgresError(
      `Port ${port} is in use by another program: set KITCHEN_DB_PORT to another port (such as ${port + 1}) or stop that program.`,
    )
  }
  // Until it is ready, even a background server is stopped if we exit (Ctrl-C while starting).
  let spawned: number | undefined
  const pid = await launch({
    dataDir,
    port,
    owner,
    settings: options.settings,
    onSpawn: (pid) => {
      spawned = pid
      stopAtExit.set(pid, dataDir)
    },
  }).catch((error) => {
    if (spawned !== undefined) stopAtExit.delete(spawned)
    throw error
  })
  if (options.background) stopAtExit.delete(pid)
  else addUser(dataDir)
  return handle(dataDir, port, true, log, pid)
}

/** Stop the embedded server on a data folder, whoever started it. False if none was running. */
export async function stopEmbeddedPostgres(
  options: Pick<EmbeddedPostgresOptions, 'dataDir'> = {},
): Promise<boolean> {
  return stopServer(embeddedLocation(options).dataDir)
}

export interface EmbeddedStatus extends EmbeddedLocation {
  running: boolean
  pid?: number
  /** Set when running: the URL to connect to (the port is the one the server really uses). */
  url?: string
}

/** Is the embedded server running? Does not start anything. */
export async function embeddedStatus(
  options: Pick<EmbeddedPostgresOptions, 'dataDir' | 'port'> = {},
): Promise<EmbeddedStatus> {
  const location = embeddedLocation(options)
  const lock = readLockFile(location.dataDir)
  if (!lock || !isAlive(lock.pid) || !isPostgresProcess(lock.pid)) {
    return { ...location, running: false }
  }
  return { ...location, port: lock.port, running: true, pid: lock.pid, url: adminUrl(lock.port) }
}

function handle(
  dataDir: string,
  port: number,
  startedByUs: boolean,
  log: (line: string) => void,
  pid?: number,
): EmbeddedPostgres {
  return {
    url: adminUrl(port),
    port,
    dataDir,
    startedByUs,
    async stop() {
      removeUser(dataDir)
      if (!startedByUs || pid === undefined || !stopAtExit.has(pid)) return
      stopAtExit.delete(pid)
      const others = otherUsers(dataDir)
      if (others.length > 0) {
        log(`Postgres keeps running: another program (PID ${others.join(', ')}) still uses it.`)
        return
      }
      // Someone may have stopped ours and started another (`pnpm db stop`, `pnpm db start`):
      // that one is not ours to stop.
      if (readLockFile(dataDir)?.pid !== pid) return
      await stopServer(dataDir)
    },
  }
}

/**
 * Look at the data folder's lock file (postmaster.pid). A healthy server is reused. A lock file
 * whose process is gone (a crash, a reboot, a PID now used by another program) is removed. A
 * server that is alive but does not answer is stopped, so we can start afresh.
 */
async function findRunningServer(
  dataDir: string,
  log: (line: string) => void,
): Promise<LockFile | undefined> {
  let lock = readLockFile(dataDir)
  if (!lock) return undefined
  if (!isAlive(lock.pid) || !isPostgresProcess(lock.pid)) {
    removeLockFile(dataDir)
    log(`Removed a stale lock file (postmaster.pid) left behind by a server that did not stop.`)
    return undefined
  }
  const deadline = Date.now() + 10_000
  while (lock?.status === 'starting' && Date.now() < deadline) {
    await sleep(50)
    lock = readLockFile(dataDir)
  }
  if (lock?.status === 'ready' && (await portAnswers(lock.port))) return lock
  if (lock) {
    log(`The Postgres server on ${dataDir} (PID ${lock.pid}) is not answering: stopping it.`)
    await stopServer(dataDir)
  }
  return undefined
}

async function checkVersion(dataDir: string): Promise<void> {
  const { major } = await postgresPrograms()
  const made = dataVersion(dataDir)
  if (made !== major) {
    throw new EmbeddedPostgresError(
      `The data folder ${dataDir} was made by Postgres ${made}, but this is Postgres ${major}. Delete it with \`pnpm db reset\` (this deletes its databases) and start again.`,
    )
  }
}

/** mkdir -p; as root, the new folders are made enterable for the `postgres` user. */
export async function makeFolder(dir: string, owner: Owner | undefined): Promise<void> {
  const first = await mkdir(dir, { recursive: true })
  if (!owner || !first) return
  let current = resolve(dir)
  const created = [current]
  while (relative(first, current) !== '') {
    current = resolve(current, '..')
    created.push(current)
  }
  for (const folder of created) await chmod(folder, 0o755)
}

/**
 * Servers this process started (PID → data folder), asked to stop when it exits, even by an
 * uncaught error, unless another process still uses them.
 * (Only `kill -9` escapes this; the next start then finds the server running and reuses it.)
 */
const stopAtExit = new Map<number, string>()
process.on('exit', () => {
  for (const [pid, dataDir] of stopAtExit) {
    removeUser(dataDir)
    if (otherUsers(dataDir).length > 0) continue
    if (readLockFile(dataDir)?.pid !== pid) continue // not ours any more
    try {
      process.kill(pid, 'SIGINT')
    } catch {
      // already gone
    }
  }
})
