import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { constants } from 'node:os'
import { dropRunTemplates, RUN_ENV } from './testing.js'
import { startThrowawayServer, type ThrowawayServer } from './throwaway.js'

const USAGE = `Usage: with-test-database <command> [args...]

Runs the command with DATABASE_URL set to a throwaway Postgres server, started for this run and
deleted afterwards. If DATABASE_URL is already set, the command runs with it, and the template
databases the tests made there are dropped at the end.`

/**
 * Start one test server for a whole test run (a lesson's `pnpm test`), run the command, clean
 * up, and give back the command's exit code. One server for every test file is much faster
 * than one per file: each test still gets a database of its own from `testDatabase`, copied
 * from a template that is migrated once per run.
 */
export async function withTestDatabase(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (!command || command === '--help' || command === '-h') {
    console.error(USAGE)
    return command ? 0 : 2
  }
  const ownUrl = process.env.DATABASE_URL
  if (ownUrl) {
    // A server we did not start: the templates made for this run are dropped at its end.
    if (process.env[RUN_ENV]) return run(command, args, process.env)
    const runId = `${process.pid}_${randomBytes(4).toString('hex')}`
    try {
      return await run(command, args, { ...process.env, [RUN_ENV]: runId })
    } finally {
      await dropRunTemplates(ownUrl, runId).catch(() => {})
    }
  }

  let server: ThrowawayServer
  try {
    server = await startThrowawayServer()
  } catch (error) {
    console.error(
      `with-test-database: could not start a test database. ${(error as Error).message}`,
    )
    return 1
  }
  try {
    return await run(command, args, { ...process.env, DATABASE_URL: server.url })
  } finally {
    await server.remove()
  }
}

/**
 * Run the command and resolve with its exit code (128 + n if it died of signal n, as shells do).
 * Ctrl-C reaches the command directly (same terminal); SIGTERM and SIGINT sent to us alone are
 * passed on, and we wait for the command to end so the server can be cleaned up after it.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    process.on('SIGHUP', forward)
    const done = (code: number) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      process.off('SIGHUP', forward)
      resolve(code)
    }
    child.once('error', (error) => {
      console.error(`with-test-database: cannot run "${command}": ${error.message}`)
      done(127)
    })
    child.once('exit', (code, signal) => {
      done(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1))
    })
  })
}
