import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { ServerStartError } from './programs.js'

/** A server program this process started. */
export interface Launched {
  pid: number
  /** Has it ended? */
  exited(): boolean
}

export interface LaunchOptions {
  program: string
  args: string[]
  cwd: string
  /** What the program prints goes here (the file is emptied first). */
  logFile: string
  /**
   * Keep it running after this process ends (`pnpm redis start`). It then gets a process group
   * of its own, so a Ctrl-C in the terminal does not reach it either. Otherwise it shares ours:
   * a Ctrl-C stops it with us, and it is stopped when this process exits.
   */
  background?: boolean
}

/** Servers started here and still running: stopped when this process exits, even by a crash. */
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) {
    child.kill('SIGTERM')
    child.kill('SIGCONT') // a paused one gets the SIGTERM when it resumes
  }
})

/** Run a server program. Use `waitUntil` to wait until it answers. */
export async function launch(options: LaunchOptions): Promise<Launched> {
  const log = openSync(options.logFile, 'w')
  const child = spawn(options.program, options.args, {
    cwd: options.cwd,
    detached: options.background === true,
    stdio: ['ignore', log, log],
  })
  closeSync(log)
  // A server we forget to stop must not keep this process from ending.
  child.unref()
  if (child.pid === undefined) {
    const [error] = (await once(child, 'error')) as [Error]
    throw new ServerStartError(`Could not run ${options.program}: ${error.message}`)
  }
  let ended = false
  child.once('exit', () => {
    ended = true
    running.delete(child)
  })
  if (!options.background) running.add(child)
  return { pid: child.pid, exited: () => ended }
}

/**
 * Wait until `ready()` says yes. If the program ends first, throw a ServerStartError with what
 * `explain()` makes of its log; if it takes longer than `timeoutMs`, stop it and throw.
 */
export async function waitUntil(
  server: Launched,
  ready: () => Promise<boolean>,
  explain: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exited()) throw new ServerStartError(explain())
    if (await ready()) return
    await sleep(20)
  }
  await stopProcess(server.pid, 'SIGTERM', () => server.exited())
  throw new ServerStartError(`${explain()} (It did not answer within ${timeoutMs / 1000} s.)`)
}

/**
 * Send `signal` and wait up to `timeoutMs` for the process to end. One that does not end gets
 * SIGTERM (if it was sent something gentler), then SIGKILL.
 */
export async function stopProcess(
  pid: number,
  signal: NodeJS.Signals,
  gone: () => boolean = () => !isAlive(pid),
  timeoutMs = 10_000,
): Promise<void> {
  const steps: [NodeJS.Signals, number][] = [[signal, timeoutMs]]
  if (signal !== 'SIGTERM' && signal !== 'SIGKILL') steps.push(['SIGTERM', 5000])
  if (signal !== 'SIGKILL') steps.push(['SIGKILL', 5000])
  for (const [next, wait] of steps) {
    if (gone()) return
    send(pid, next)
    send(pid, 'SIGCONT') // a paused (SIGSTOP) process acts on signals only once it goes on
    const deadline = Date.now() + wait
    while (Date.now() < deadline) {
      if (gone()) return
      await sleep(20)
    }
  }
}

export function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

/**
 * Is this process running? One that has ended but that nobody collected yet (a zombie: a
 * background server whose starter has exited, in a container whose first process does not
 * collect orphans) counts as ended.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    // /proc/<pid>/stat: "pid (name) S ...", where S is the state and Z means zombie.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (macOS): kill(pid, 0) said it exists
  }
}

/** The name of the program a process runs, or undefined if we cannot tell. */
export function programName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'comm='], { encoding: 'utf8' }).trim()
    } catch {
      return undefined
    }
  }
}

/** The last lines of a log file, for error messages. */
export function lastLines(file: string, count = 8): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return ''
  }
  return text.trim().split('\n').slice(-count).join('\n')
}
