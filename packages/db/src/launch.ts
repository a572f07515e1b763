import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { readLockFile } from './lockfile.js'
import type { Owner } from './paths.js'
import { EmbeddedPostgresError, postgresPrograms } from './postgres.js'

export interface LaunchOptions {
  dataDir: string
  port: number
  owner: Owner | undefined
  /** Extra server settings, passed as `-c name=value`. */
  settings?: Record<string, string>
  /** Called with the PID as soon as the program runs, before it is ready. */
  onSpawn?: (pid: number) => void
}

/**
 * Start the Postgres server program and wait until it accepts connections. It runs in a process
 * group of its own, so a Ctrl-C in the terminal reaches only our Node process, which then stops
 * the database after its own graceful shutdown. Its log goes to `<dataDir>/postgres.log`.
 * Returns the server's PID.
 */
export async function launch(options: LaunchOptions): Promise<number> {
  const { postgres } = await postgresPrograms()
  const settings: Record<string, string> = {
    // Only this computer can connect, over TCP: no Unix socket files in /tmp to clash or go stale.
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.settings,
  }
  const args = ['-D', options.dataDir, '-p', String(options.port)]
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`)

  const logFile = join(options.dataDir, 'postgres.log')
  const log = openSync(logFile, 'w')
  const child = spawn(postgres, args, {
    ...options.owner,
    cwd: '/',
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, LC_MESSAGES: 'C' },
  })
  closeSync(log)
  child.unref()
  if (child.pid !== undefined) options.onSpawn?.(child.pid)

  let exited = false
  let spawnError: Error | undefined
  child.once('exit', () => {
    exited = true
  })
  child.once('error', (error) => {
    spawnError = error
    exited = true
  })

  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const lock = readLockFile(options.dataDir)
    if (lock && lock.pid === child.pid && lock.status === 'ready') return lock.pid
    if (exited) {
      throw new EmbeddedPostgresError(
        spawnError
          ? `Could not run ${postgres}: ${spawnError.message}`
          : explainStartFailure(readLog(logFile), options.port, options.dataDir),
      )
    }
    await sleep(15)
  }
  child.kill('SIGQUIT')
  throw new EmbeddedPostgresError(
    `Postgres did not become ready within 30 s. Its log is ${logFile}:\n${lastLines(readLog(logFile))}`,
  )
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n')
}

/** Turn what Postgres wrote to its log before giving up into a message a person can act on. */
export function explainStartFailure(log: string, port: number, dataDir: string): string {
  if (/could not bind|could not create any TCP\/IP sockets|Address already in use/.test(log)) {
    return `Port ${port} is in use by another program: set KITCHEN_DB_PORT to another port (such as ${port + 1}) or stop that program.`
  }
  const other = /lock file "postmaster.pid" already exists[\s\S]*?PID (\d+)/.exec(log)
  if (other) {
    return `Another Postgres (PID ${other[1]}) is using the data folder ${dataDir}. Stop it (pnpm db stop, or kill ${other[1]}) and try again.`
  }
  if (/pre-existing shared memory block/.test(log)) {
    return `Processes of an earlier Postgres that crashed are still running. Stop them (ps aux | grep postgres, then kill <pid>) and try again.`
  }
  if (/database files are incompatible with server/.test(log)) {
    return `The data folder ${dataDir} was made by another version of Postgres. Delete it with \`pnpm db reset\` (this deletes its databases) and start again.`
  }
  if (/Permission denied|permissions should be/.test(log)) {
    return `Postgres cannot use the data folder ${dataDir} (permissions). It must belong to the user Postgres runs as, with mode 700.\n${lastLines(log)}`
  }
  return `Postgres stopped while starting. The end of its log (${join(dataDir, 'postgres.log')}):\n${lastLines(log)}`
}
