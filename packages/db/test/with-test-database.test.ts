import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { portAnswers } from '@kitchen/servers'
import t from 'tap'
import { query } from './helpers.js'

const bin = join(import.meta.dirname, '..', 'bin', 'with-test-database.mjs')
const report = join(import.meta.dirname, 'fixtures', 'report-database.mjs')

/** Run the bin; resolve with its exit code and what it printed. */
async function run(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const [code] = await once(child, 'exit')
  return { code: code as number, stdout, stderr }
}

t.test('with DATABASE_URL set, runs the command with it and passes the exit code', async (t) => {
  const url = 'postgres://someone:else@127.0.0.1:1/theirs'
  const result = await run(
    [process.execPath, '-e', 'console.log(process.env.DATABASE_URL); process.exit(7)'],
    { DATABASE_URL: url },
  )
  t.equal(result.code, 7)
  t.equal(result.stdout.trim(), url)
})

t.test(
  'with DATABASE_URL set, the templates its tests made there are dropped at the end',
  async (t) => {
    const fixture = join(import.meta.dirname, 'fixtures', 'template-user.ts')
    const admin = process.env.DATABASE_URL as string
    const name = await run([process.execPath, '--import=tsx', fixture, 'name'], {})
    const template = name.stdout.trim()
    await query(admin, `DROP DATABASE IF EXISTS ${template}`)
    const script = `${process.execPath} --import=tsx ${fixture} use`
    const result = await run(['sh', '-c', script], {
      DATABASE_URL: admin,
      KITCHEN_TEST_RUN: undefined,
    })
    t.equal(result.code, 0, result.stderr)
    t.match(JSON.parse(result.stdout), { builtBy: [Number] }, 'a template was made and used')
    const { rowCount } = await query(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [
      template,
    ])
    t.equal(rowCount, 0, 'and dropped when the run ended')
  },
)

t.test('without DATABASE_URL, starts a server for the command and removes it after', async (t) => {
  const result = await run([process.execPath, report, '3'], { DATABASE_URL: undefined })
  t.equal(result.code, 3, 'exit code passed through')
  const { url, dataDir } = JSON.parse(result.stdout)
  t.match(url, /^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/)
  t.notOk(await portAnswers(Number(new URL(url).port)), 'server stopped')
  t.notOk(existsSync(dataDir), 'data folder removed')
})

t.test('SIGTERM stops the command and the server, and exits 143', async (t) => {
  const child = spawn(
    process.execPath,
    [
      bin,
      process.execPath,
      '-e',
      'console.log(process.env.DATABASE_URL); setInterval(() => {}, 1000)',
    ],
    { env: { ...process.env, DATABASE_URL: undefined }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const [chunk] = await once(child.stdout, 'data')
  const port = Number(new URL(String(chunk).trim()).port)
  t.ok(await portAnswers(port), 'server running while the command runs')
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 143)
  t.notOk(await portAnswers(port), 'server stopped')
})

t.test(
  'a server left behind by a run killed with kill -9 is removed by the next run',
  async (t) => {
    const stayAlive =
      'console.log(process.env.DATABASE_URL, process.pid); setInterval(() => {}, 1000)'
    const killed = spawn(process.execPath, [bin, process.execPath, '-e', stayAlive], {
      env: { ...process.env, DATABASE_URL: undefined },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const [chunk] = await once(killed.stdout, 'data')
    const [url, commandPid] = String(chunk).trim().split(' ') as [string, string]
    const { rows } = await query(url, 'SHOW data_directory')
    const dataDir = rows[0].data_directory as string
    killed.kill('SIGKILL')
    process.kill(Number(commandPid), 'SIGKILL')
    await once(killed, 'exit')
    t.ok(existsSync(dataDir), 'left behind')

    const next = await run([process.execPath, '-e', ''], { DATABASE_URL: undefined })
    t.equal(next.code, 0)
    t.notOk(existsSync(dataDir), 'removed by the next run')
    t.notOk(await portAnswers(Number(new URL(url).port)), 'and its server stopped')
  },
)

t.test('a command that does not exist exits 127 with a message', async (t) => {
  const result = await run(['no-such-command-here'], { DATABASE_URL: 'postgres://x@127.0.0.1:1/x' })
  t.equal(result.code, 127)
  t.match(result.stderr, /cannot run "no-such-command-here"/)
})

t.test('no command prints the usage and exits 2', async (t) => {
  const result = await run([], {})
  t.equal(result.code, 2)
  t.match(result.stderr, /Usage: with-test-database <command>/)
})
