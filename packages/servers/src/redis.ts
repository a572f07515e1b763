import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { freePort, portIsFree } from './ports.js'
import { launch, stopProcess, waitUntil } from './process.js'
import {
  type FindOptions,
  type FoundProgram,
  findProgram,
  type MissingProgram,
  ServerStartError,
} from './programs.js'
import { redisAnswers } from './resp.js'

export const HOW_TO_INSTALL_REDIS =
  'Install Redis: `apt-get install redis-server` (Debian, Ubuntu), `brew install redis` (macOS), ' +
  'on Windows inside WSL (as on Ubuntu). Or run a Redis of your own and set ' +
  'REDIS_URL=redis://127.0.0.1:6379: `docker run -p 6379:6379 redis:7` (Docker) or Memurai (Windows).'

/**
 * Find the redis-server program: the one REDIS_SERVER names, else `redis-server` on the PATH,
 * else Homebrew's. Looks at files only: nothing is run.
 *   const redis = findRedisServer()
 *   if ('reason' in redis) console.log(redis.reason)   // why, and how to install it
 */
export function findRedisServer(options: FindOptions = {}): FoundProgram | MissingProgram {
  return findProgram({
    name: 'redis-server',
    variable: 'REDIS_SERVER',
    also: ['/opt/homebrew/bin/redis-server', '/usr/local/bin/redis-server'],
    howToInstall: HOW_TO_INSTALL_REDIS,
    options,
  })
}

export interface StartRedisOptions {
  /** A folder for its log, `redis.log` (it saves no data). Created if missing. */
  dir: string
  /** Default: a free port chosen by the system. */
  port?: number
  /** More settings, passed as `--name value`, such as `{ maxmemory: '10mb' }`. */
  settings?: Record<string, string>
  /** Keep it running after this process ends (what `pnpm redis start` does). */
  background?: boolean
  /** Where to read REDIS_SERVER and PATH. Default: `process.env`. */
  env?: FindOptions['env']
}

/** A redis-server this process started. */
export interface RedisServer {
  /** redis://127.0.0.1:<port> (with the password, if you set `requirepass`). */
  url: string
  port: number
  pid: number
  logFile: string
  /** Stop it (SIGTERM) and wait until it has gone. Its data goes with it. */
  stop(): Promise<void>
}

/**
 * Start `redis-server --port P --bind 127.0.0.1 --save '' --dir DIR`: only this computer can
 * connect, and nothing is saved to disk. Resolves once it answers PING. Unless `background`,
 * it is stopped when this process exits.
 */
export async function startRedis(options: StartRedisOptions): Promise<RedisServer> {
  const found = findRedisServer({ env: options.env })
  if ('reason' in found) throw new ServerStartError(found.reason)
  const dir = resolve(options.dir)
  await mkdir(dir, { recursive: true })
  const port = options.port ?? (await freePort())
  if (!(await portIsFree(port))) throw new ServerStartError(portInUse(port))

  const settings: Record<string, string> = {
    port: String(port),
    bind: '127.0.0.1',
    save: '', // no snapshots: a cache for lessons, emptied when it stops
    dir,
    ...options.settings,
  }
  const args = Object.entries(settings).flatMap(([name, value]) => [`--${name}`, value])
  const logFile = join(dir, 'redis.log')
  const server = await launch({
    program: found.path,
    args,
    cwd: dir,
    logFile,
    background: options.background,
  })
  const password = settings.requirepass
  const url = `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`
  await waitUntil(
    server,
    () => redisAnswers(url, 500),
    () => explainRedisFailure(readLog(logFile), port, logFile),
  )
  return {
    url,
    port,
    pid: server.pid,
    logFile,
    stop: () => stopProcess(server.pid, 'SIGTERM', () => server.exited()),
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

export function portInUse(port: number): string {
  return `Port ${port} is in use by another program: choose another port, or stop that program.`
}

/** Turn what redis-server printed before it gave up into a sentence a person can act on. */
export function explainRedisFailure(log: string, port: number, logFile: string): string {
  if (/Address already in use/.test(log)) return portInUse(port)
  const fatal = /FATAL CONFIG FILE ERROR[\s\S]*?>>> '([^\n]*)'\n([^\n]*)/.exec(log)
  if (fatal) return `redis-server did not accept the setting ${fatal[1]}: ${fatal[2]}`
  const tail = log.trim().split('\n').slice(-8).join('\n')
  return `redis-server stopped while starting. The end of its log (${logFile}):\n${tail}`
}
