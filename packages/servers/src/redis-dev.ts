/**
 * The Redis the lessons use while you develop: one redis-server kept running in the background
 * by `pnpm redis start` (or by the first lesson that needs it), with its PID, port and log in
 * the repository's git-ignored `.kitchen/redis/`. REDIS_URL replaces it with a Redis of yours.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isAlive, programName, stopProcess } from './process.js'
import { ServerStartError } from './programs.js'
import { findRedisServer, startRedis } from './redis.js'
import { maskPassword, pingRedis, redisAnswers } from './resp.js'

/** Not 6379, so it never clashes with a Redis you installed. */
export const DEFAULT_REDIS_PORT = 63790

export interface RedisDevLocation {
  /** `<repo>/.kitchen/redis`, or KITCHEN_REDIS_DIR. */
  dir: string
  /** 63790, or KITCHEN_REDIS_PORT. */
  port: number
  /** `redis.json`: the running server's PID and port. */
  stateFile: string
  logFile: string
}

export interface RedisDevStatus extends RedisDevLocation {
  running: boolean
  pid?: number
  /** redis://127.0.0.1:<port> */
  url: string
}

/** Where the dev server keeps its files and which port it uses, after the KITCHEN_REDIS_* settings. */
export function redisDevLocation(env = process.env): RedisDevLocation {
  const chosen = env.KITCHEN_REDIS_DIR
  // A relative KITCHEN_REDIS_DIR means the same folder whichever package a command runs in.
  const dir = chosen
    ? isAbsolute(chosen)
      ? chosen
      : resolve(repoRoot(), chosen)
    : join(repoRoot(), '.kitchen', 'redis')
  return {
    dir,
    port: portFromEnv(env.KITCHEN_REDIS_PORT) ?? DEFAULT_REDIS_PORT,
    stateFile: join(dir, 'redis.json'),
    logFile: join(dir, 'redis.log'),
  }
}

function portFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined
  const port = Number(text)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ServerStartError(
      `KITCHEN_REDIS_PORT must be a port number from 1 to 65535 (got ${JSON.stringify(text)}).`,
    )
  }
  return port
}

/** The folder holding pnpm-workspace.yaml, found by walking up from this file. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('No pnpm-workspace.yaml above @kitchen/servers.')
    dir = parent
  }
  return dir
}

/**
 * Is the dev server running? Believes the state file only when its PID is a live redis-server
 * that answers on its port; a state file left by a server that died is removed.
 */
export async function redisDevStatus(env = process.env): Promise<RedisDevStatus> {
  const location = redisDevLocation(env)
  const state = readState(location.stateFile)
  if (state && isAlive(state.pid) && isRedis(state.pid)) {
    const url = devUrl(state.port)
    if (await redisAnswers(url))
      return { ...location, port: state.port, url, running: true, pid: state.pid }
  }
  if (state) await rm(location.stateFile, { force: true })
  return { ...location, url: devUrl(location.port), running: false }
}

/** Start the dev server in the background, or find it running. */
export async function startRedisDev(
  env = process.env,
): Promise<{ status: RedisDevStatus; started: boolean }> {
  const before = await redisDevStatus(env)
  if (before.running) return { status: before, started: false }
  const found = findRedisServer({ env })
  if ('reason' in found) throw new ServerStartError(found.reason)
  await mkdir(before.dir, { recursive: true })
  try {
    const server = await startRedis({ dir: before.dir, port: before.port, background: true, env })
    await writeFile(before.stateFile, `${JSON.stringify({ pid: server.pid, port: server.port })}\n`)
    return { status: { ...before, running: true, pid: server.pid }, started: true }
  } catch (error) {
    // Another program (a lesson starting at the same moment) may have just started it.
    const after = await redisDevStatus(env)
    if (after.running) return { status: after, started: false }
    if (error instanceof ServerStartError && /Port \d+ is in use/.test(error.message)) {
      throw new ServerStartError(
        `Port ${before.port} is in use by another program: set KITCHEN_REDIS_PORT to another port (such as ${before.port + 1}) or stop that program.`,
      )
    }
    throw error
  }
}

/** Stop the dev server, whoever started it. False if it was not running. */
export async function stopRedisDev(env = process.env): Promise<boolean> {
  const status = await redisDevStatus(env)
  if (!status.running || status.pid === undefined) return false
  await stopProcess(status.pid, 'SIGTERM')
  await rm(status.stateFile, { force: true })
  return true
}

export interface ResolvedRedis {
  /** The URL the app connects to. */
  url: string
  /** Where it came from: your REDIS_URL, or the dev server of `pnpm redis`. */
  source: 'REDIS_URL' | 'dev'
}

/**
 * Which Redis should the app use?
 * - REDIS_URL set: that one, checked to answer PING (unless `check: false`); nothing is started.
 * - Otherwise: the dev server, started in the background if it is not running (it keeps
 *   running for the next start; `pnpm redis stop` stops it).
 * Failures throw a ServerStartError whose message is one sentence saying what to do.
 */
export async function resolveRedisUrl(
  options: { log?: (line: string) => void; check?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<ResolvedRedis> {
  const env = options.env ?? process.env
  const log = options.log ?? console.log
  const fromEnv = env.REDIS_URL
  if (fromEnv) {
    if (options.check !== false) await checkRedisReachable(fromEnv)
    return { url: fromEnv, source: 'REDIS_URL' }
  }
  const { status, started } = await startRedisDev(env)
  if (started) {
    log(`Started Redis in the background on port ${status.port} (stop it with: pnpm redis stop).`)
  }
  return { url: status.url, source: 'dev' }
}

/** Ping REDIS_URL once, so a wrong URL shows up at start-up as one clear sentence. */
export async function checkRedisReachable(url: string): Promise<void> {
  try {
    await pingRedis(url)
  } catch (error) {
    throw new ServerStartError(
      `Cannot reach Redis at ${maskPassword(url)} (${(error as Error).message}). Is it running? Check REDIS_URL, or unset it to use the one \`pnpm redis start\` runs.`,
    )
  }
}

function devUrl(port: number): string {
  return `redis://127.0.0.1:${port}`
}

function readState(file: string): { pid: number; port: number } | undefined {
  try {
    const { pid, port } = JSON.parse(readFileSync(file, 'utf8'))
    if (Number.isInteger(pid) && pid > 0 && Number.isInteger(port)) return { pid, port }
  } catch {
    // missing or half-written
  }
  return undefined
}

/** After a reboot, the PID in an old state file often belongs to another program by now. */
function isRedis(pid: number): boolean {
  const name = programName(pid)
  return name === undefined || name.includes('redis')
}
