/**
 * pnpm db <start|stop|status|reset|url>: look after the embedded Postgres the lessons use.
 * Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import { withClient } from './connection.js'
import {
  adminUrl,
  type EmbeddedStatus,
  embeddedStatus,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
} from './embedded.js'
import { isInitialised } from './postgres.js'

const USAGE = `Usage: pnpm db <command>

  start    start the database in the background (sets it up on first use)
  stop     stop it
  status   is it running? its port, data folder and databases
  reset    stop it and delete all its data (asks first; --yes skips the question)
  url      print the URL to connect to as the admin user

Settings: KITCHEN_DB_PORT (default 54329), KITCHEN_DB_DIR (default .pgdata/dev).`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'start':
      return start()
    case 'stop':
      return stop()
    case 'status':
      return status()
    case 'reset':
      return reset(rest.includes('--yes') || rest.includes('-y'))
    case 'url':
      return url()
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE)
      return command ? 0 : 2
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`)
      return 2
  }
}

async function start(): Promise<number> {
  const before = await embeddedStatus()
  if (before.running) {
    console.log(`Postgres is already running (PID ${before.pid}).`)
    printConnection(before.url ?? adminUrl(before.port), before.dataDir)
    return 0
  }
  const server = await startEmbeddedPostgres({ background: true })
  console.log(`Postgres is running in the background (stop it with: pnpm db stop).`)
  printConnection(server.url, server.dataDir)
  return 0
}

function printConnection(url: string, dataDir: string) {
  console.log(`  URL:          ${url}`)
  console.log(`  Data folder:  ${dataDir}`)
  console.log(`  Try:          psql ${url}`)
  noteDatabaseUrl()
}

function noteDatabaseUrl() {
  if (process.env.DATABASE_URL) {
    console.log('Note: DATABASE_URL is set, so the lessons use that database, not this one.')
  }
}

async function stop(): Promise<number> {
  const { pid } = await embeddedStatus()
  if (await stopEmbeddedPostgres()) console.log(`Stopped Postgres (PID ${pid}).`)
  else console.log('Postgres is not running.')
  return 0
}

async function status(): Promise<number> {
  const state = await embeddedStatus()
  if (!state.running) {
    const setUp = isInitialised(state.dataDir) ? '' : ' (not set up yet: start sets it up)'
    console.log('Postgres is not running. Start it with: pnpm db start')
    console.log(`  Port:         ${state.port}`)
    console.log(`  Data folder:  ${state.dataDir}${setUp}`)
    noteDatabaseUrl()
    return 0
  }
  console.log(`Postgres is running (PID ${state.pid}).`)
  console.log(`  Port:         ${state.port}`)
  console.log(`  URL:          ${state.url}`)
  console.log(`  Data folder:  ${state.dataDir}`)
  await printDatabases(state)
  noteDatabaseUrl()
  return 0
}

async function printDatabases(state: EmbeddedStatus) {
  try {
    const { rows } = await withClient(state.url ?? adminUrl(state.port), (client) =>
      client.query<{ name: string; size: string }>(
        `SELECT datname AS name, pg_size_pretty(pg_database_size(datname)) AS size
         FROM pg_database WHERE NOT datistemplate ORDER BY datname`,
      ),
    )
    console.log('  Databases:')
    const width = Math.max(...rows.map((row) => row.name.length))
    for (const row of rows) console.log(`    ${row.name.padEnd(width)}  ${row.size}`)
  } catch (error) {
    console.log(`  Databases:    cannot list them (${(error as Error).message})`)
  }
}

async function reset(confirmed: boolean): Promise<number> {
  const { dataDir } = await embeddedStatus()
  if (!existsSync(dataDir)) {
    console.log(`Nothing to delete: ${dataDir} does not exist.`)
    return 0
  }
  console.log(`This stops the embedded Postgres and deletes ${dataDir}`)
  console.log('with every database in it (the lessons make theirs again when they start).')
  if (!confirmed && !(await ask('Delete it? [y/N] '))) {
    console.log(
      process.stdin.isTTY ? 'Nothing deleted.' : 'Nothing deleted: run `pnpm db reset --yes`.',
    )
    return 1
  }
  await stopEmbeddedPostgres()
  await rm(dataDir, { recursive: true, force: true })
  console.log(`Deleted ${dataDir}. The next start sets up a fresh database.`)
  return 0
}

async function ask(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  const prompt = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim())
  } finally {
    prompt.close()
  }
}

async function url(): Promise<number> {
  const state = await embeddedStatus()
  console.log(state.url ?? adminUrl(state.port))
  if (!state.running) console.error('(Postgres is not running: pnpm db start)')
  return 0
}

// Ctrl-C: exit through process.exit so a server still starting is stopped (see embedded.ts).
process.on('SIGINT', () => process.exit(130))

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message)
    process.exit(1)
  },
)
