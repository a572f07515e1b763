import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * What a running Postgres writes to `postmaster.pid` in its data folder: its PID on line 1,
 * its port on line 4 and, on line 8, "starting", "ready" or "stopping".
 */
export interface LockFile {
  pid: number
  port: number
  status: string
}

export function lockFilePath(dataDir: string): string {
  return join(dataDir, 'postmaster.pid')
}

export function readLockFile(dataDir: string): LockFile | undefined {
  let text: string
  try {
    text = readFileSync(lockFilePath(dataDir), 'utf8')
  } catch {
    return undefined
  }
  const lines = text.split('\n')
  const pid = Number(lines[0])
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  return { pid, port: Number(lines[3]), status: (lines[7] ?? '').trim() }
}

export function removeLockFile(dataDir: string): void {
  rmSync(lockFilePath(dataDir), { force: true })
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the `postgres` user, say).
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Is this PID a Postgres server? After a reboot or in a container, the PID in an old lock file
 * often belongs to some other program by now. When we cannot tell, we say yes (the safe answer).
 */
export function isPostgresProcess(pid: number): boolean {
  let name: string
  try {
    name = readFileSync(`/proc/${pid}/comm`, 'utf8')
  } catch {
    try {
      name = execFileSync('ps', ['-p', String(pid), '-o', 'comm='], { encoding: 'utf8' })
    } catch {
      return true
    }
  }
  return name.includes('postgres')
}

/**
 * Stop the server whose PID is in the lock file, the way `pg_ctl stop` does: SIGINT asks for a
 * "fast" shutdown (open connections are closed), then we wait until it has gone. A server that
 * does not stop within 10 s gets SIGQUIT (immediate shutdown). Returns false if none was running.
 */
export async function stopServer(dataDir: string, timeoutMs = 10_000): Promise<boolean> {
  const lock = readLockFile(dataDir)
  if (!lock || !isAlive(lock.pid) || !isPostgresProcess(lock.pid)) return false
  if (await signalAndWait(dataDir, lock.pid, 'SIGINT', timeoutMs)) return true
  if (await signalAndWait(dataDir, lock.pid, 'SIGQUIT', 5000)) return true
  throw new Error(
    `Postgres (PID ${lock.pid}) did not stop. Stop it by hand: kill -9 ${lock.pid}, then delete ${lockFilePath(dataDir)}`,
  )
}

async function signalAndWait(
  dataDir: string,
  pid: number,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<boolean> {
  try {
    process.kill(pid, signal)
  } catch {
    return true
  }
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    // Postgres removes its lock file as the last step of a shutdown. Checking it too means an
    // exited server that nobody reaped (a zombie) does not keep us waiting.
    if (!isAlive(pid) || readLockFile(dataDir)?.pid !== pid) return true
    await sleep(20)
  }
  return false
}
