import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { DatabaseStartError, resolveDatabaseUrl } from '@kitchen/db'
import {
  freePort,
  type NginxServer,
  portIsFree,
  resolveRedisUrl,
  ServerStartError,
  startNginx,
} from '@kitchen/servers'
import closeWithGrace from 'close-with-grace'
import { prettyFactory } from 'pino-pretty'
import { type Config, ConfigError, readConfig } from './config.js'
import { databaseName } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { nginxConfig } from './nginx.js'

// The whole stack on one computer: two copies of the app (src/server.ts, each a process of its
// own, on free ports), sharing one Postgres and one Redis, and NGINX in front on PORT: one URL.
const known = [ConfigError, DatabaseStartError, ServerStartError]
function fail(error: unknown): never {
  if (!known.some((kind) => error instanceof kind)) throw error
  console.error((error as Error).message)
  process.exit(1)
}
let config: Config
try {
  config = readConfig()
} catch (error) {
  fail(error)
}
if (!(await portIsFree(config.PORT, config.HOST))) {
  fail(
    new ServerStartError(`Port ${config.PORT} is in use: stop that server, or set another PORT.`),
  )
}
// Found (or started) once, here, and handed to both copies.
const database = await resolveDatabaseUrl({ database: databaseName }).catch(fail)
await migrateToLatest(database.url)
const redis = await resolveRedisUrl({ env: { ...process.env, REDIS_URL: config.REDIS_URL } })
  .then(({ url }) => url)
  .catch((error) => {
    if (!(error instanceof ServerStartError)) throw error
    console.warn(`${error.message}\nStarting without it: each copy counts log-ins on its own.`)
    return config.REDIS_URL ?? ''
  })

// At a terminal, the copies' log lines (JSON: their output is ours, not a terminal) made readable.
const pretty =
  process.stdout.isTTY && prettyFactory({ translateTime: 'HH:MM:ss', ignore: 'pid,hostname' })
let closing = false
let restarting = false
let nginx: NginxServer | undefined
const copies = new Map<string, ChildProcess>()
// However this process ends, the copies end with it.
process.on('exit', () => {
  for (const copy of copies.values()) copy.kill('SIGTERM')
})
/** One copy of the app, `tsx src/server.ts`, its output marked with its name. */
async function startCopy(name: string, port: number): Promise<void> {
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    INSTANCE: name,
    DATABASE_URL: database.url,
    REDIS_URL: redis,
    TRUST_PROXY: '127.0.0.1', // believe X-Forwarded-For from NGINX only
  }
  const lesson = fileURLToPath(new URL('..', import.meta.url))
  // detached: a group of its own, so Ctrl-C reaches this process only, which stops them in order.
  const options = { cwd: lesson, env, detached: true }
  const child = spawn(process.execPath, ['--import=tsx', 'src/server.ts'], options)
  copies.set(name, child)
  let started = false
  child.once('exit', (code, signal) => {
    if (!started) fail(new ServerStartError(`Copy ${name} of the app did not start: see above.`))
    if (closing || restarting) return // stopped on purpose
    console.error(`Copy ${name} stopped (${signal ?? code}): the other answers all.`)
  })
  await new Promise<void>((ready) => {
    for (const [output, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      createInterface({ input: output }).on('line', (line) => {
        if (line.startsWith('Server ready at')) return ready() // the one URL to print is NGINX's
        to.write(`${name} | ${pretty && line.startsWith('{') ? pretty(line) : `${line}\n`}`)
      })
    }
  })
  started = true
}

/** Stop a copy as Docker or systemd would, with SIGTERM: it drains, then exits (server.ts). */
async function stopCopy(name: string): Promise<void> {
  const copy = copies.get(name)
  if (!copy || copy.exitCode !== null || copy.signalCode !== null) return
  copy.kill('SIGTERM')
  await once(copy, 'exit')
}

// SIGHUP (`kill -HUP <pid>`): a rolling restart, to run new code say. One copy at a time stops
// (SIGTERM: it drains, see server.ts) and starts again, and the next waits until it is ready:
// the other copy answers meanwhile, so the URL never fails.
async function restart(): Promise<void> {
  if (restarting || closing) return
  restarting = true
  for (const name of ['a', 'b'] as const) {
    console.log(`Restarting copy ${name}…`)
    await stopCopy(name)
    if (closing) return
    await startCopy(name, ports[name])
    const ready = () => fetch(`http://127.0.0.1:${ports[name]}/ready`).catch(() => undefined)
    for (let i = 0; !(await ready())?.ok; i++) {
      if (i === 100) fail(new ServerStartError(`Copy ${name} is not ready after 10 s.`))
      await sleep(100)
    }
  }
  restarting = false
  console.log('Rolling restart done: both copies are new.')
}

const ports = { host: config.HOST, port: config.PORT, a: await freePort(), b: await freePort() }
await Promise.all([startCopy('a', ports.a), startCopy('b', ports.b)])
const dir = await mkdtemp(join(tmpdir(), 'kitchen-nginx-'))

// Ctrl-C or SIGTERM: NGINX first (no new requests), then the copies, each gracefully.
// (SIGHUP is not an end here: it restarts the copies.)
process.on('SIGHUP', () => void restart())
closeWithGrace({ delay: 10_000, skip: ['SIGHUP'] }, async ({ err }) => {
  closing = true
  if (err) console.error(err)
  await nginx?.stop({ graceful: true })
  await Promise.all([...copies.keys()].map(stopCopy))
  await rm(dir, { recursive: true, force: true })
  await database.embedded?.stop() // if this process started it
})

nginx = await startNginx({ dir, config: nginxConfig(ports) }).catch(fail)
console.log(`NGINX runs ${nginx.configFile}; its log: ${nginx.accessLog}`)
console.log(`Copies a and b of the app on ports ${ports.a} and ${ports.b}, behind it.`)
console.log(`A rolling restart of the copies: kill -HUP ${process.pid}`)
console.log(`Stack ready at ${nginx.url}  (Ctrl-C to stop)`)
