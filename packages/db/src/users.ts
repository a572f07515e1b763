import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isAlive } from './lockfile.js'

/**
 * Which processes use a server: one empty file per PID in `<dataDir>/kitchen-users`. Two lessons
 * can share the dev server; when the one that started it stops, the server keeps running while
 * the other still uses it. (Postgres ignores files it does not know in its data folder.)
 */
function folder(dataDir: string): string {
  return join(dataDir, 'kitchen-users')
}

export function addUser(dataDir: string): void {
  try {
    mkdirSync(folder(dataDir), { recursive: true })
    writeFileSync(join(folder(dataDir), String(process.pid)), '')
  } catch {
    // Only a courtesy to other processes: never a reason to fail.
  }
}

export function removeUser(dataDir: string): void {
  rmSync(join(folder(dataDir), String(process.pid)), { force: true })
}

/** PIDs of other live processes using the server; files of dead ones are removed. */
export function otherUsers(dataDir: string): number[] {
  let entries: string[]
  try {
    entries = readdirSync(folder(dataDir))
  } catch {
    return []
  }
  const alive: number[] = []
  for (const entry of entries) {
    const pid = Number(entry)
    if (pid === process.pid) continue
    if (Number.isInteger(pid) && isAlive(pid)) alive.push(pid)
    else rmSync(join(folder(dataDir), entry), { force: true })
  }
  return alive
}
