import type { ChildProcess } from 'node:child_process'
import { arch, cpus, loadavg, platform, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { SEEDED_ARTICLES } from './bench/articles.js'
import { GRAPHQL_TODOS } from './bench/auth.js'
import { children, countQueries, startBenchServer, stopBenchServer } from './bench/child.js'
import { type BenchPostgres, SEEDED_TODOS, startBenchPostgres } from './bench/database.js'
import { LOGIN_RUNS, type LoginCost, timeLogins, timePasswordHashing } from './bench/login-cost.js'
import { RAW_SQL } from './bench/raw-routes.js'
import {
  AUTH_TARGET,
  HEADERS_TARGET,
  loginTable,
  markdownTable,
  partner,
  RAW_PG_TARGET,
  type Row,
  startupTable,
  textTable,
} from './bench/report.js'
import { BENCH_JWT_SECRET, POOL_SIZE, type ServerOptions } from './bench/servers.js'
import {
  AUTH,
  CAPSTONE_ARTICLES,
  chooseLesson,
  onlyThese,
  type ResolvedTarget,
  resolveTargets,
  type SetupContext,
  targets,
} from './bench/targets.js'
import { findLessons, type Lesson, lessonNumber } from './lessons.js'

/**
 * `pnpm bench`: how many requests per second each target answers, side by side, on this
 * machine. Every target gets the same connections, warm-up and duration; the numbers mean
 * something only next to each other, which is why the bare node:http server is in the table,
 * and why a row is compared with another row of the same run (a database route with its raw
 * `pg` twin running the same query on the same server, a route with log-in with the same
 * route without …).
 */

interface Settings {
  duration: number
  warmup: number
  connections: number
  markdown: boolean
  /** Only the rows whose name has this text, with the rows they are compared with. */
  only?: string
}

const here = dirname(fileURLToPath(import.meta.url))
const root = process.env.KITCHEN_ROOT ?? resolve(here, '..', '..')

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '50' },
      markdown: { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  })
  const number = (name: string, value: string, min: number) => {
    const parsed = Number(value)
    if (!Number.isFinite(parsed) || parsed < min) {
      throw new Error(`--${name} must be a number of at least ${min} (got "${value}")`)
    }
    return parsed
  }
  return {
    duration: number('duration', values.duration, 1),
    warmup: number('warmup', values.warmup, 0),
    connections: Math.round(number('connections', values.connections, 1)),
    markdown: values.markdown,
    only: values.only,
  }
}

/** The bench Postgres, started on first need; or why there is none. */
type Database = { postgres: BenchPostgres } | { failed: string } | undefined

/** A target's server, started, set up and warmed up: ready to be measured, in one or more rounds. */
interface Running {
  row: Row
  server: { child: ChildProcess; port: number }
  request: Parameters<typeof autocannon>[0]
  /** What its rounds added up to. */
  seconds: number
  requests: number
  p99: number
  failures: number
}

/** Start a target's server, set it up, count its SQL and warm it up; or say why it was not. */
async function start(
  resolved: ResolvedTarget,
  settings: Settings,
  database: Database,
  log: (text: string) => void,
): Promise<Row | Running> {
  const { target, name } = resolved
  const row: Row = {
    name,
    target: target.name,
    lesson: resolved.lesson,
    baseline: target.server === 'node-http',
    compare: target.compare,
  }
  if (resolved.skipped !== undefined) {
    log(`${name}: skipped, ${resolved.skipped}`)
    return { ...row, skipped: resolved.skipped }
  }

  let server: { child: ChildProcess; port: number } | undefined
  try {
    const options: ServerOptions = {
      lessonDir: resolved.lessonDir,
      ...(target.jwt ? { jwtSecret: BENCH_JWT_SECRET } : {}),
      ...(target.raw ? { raw: target.raw } : {}),
    }
    const context: SetupContext = { todoIds: [], lessonDir: resolved.lessonDir }
    if (target.database) {
      if (!database || 'failed' in database) {
        throw new Error(`no Postgres (${database?.failed ?? 'not started'})`)
      }
      if (!resolved.lessonDir) throw new Error('a database target needs a lesson')
      log(`${name}: preparing its database`)
      const prepared = await database.postgres.prepare(resolved.lessonDir)
      options.databaseUrl = prepared.url
      context.todoIds = prepared.todoIds
      context.databaseUrl = prepared.url
    }

    log(`${name}: starting`)
    server = await startBenchServer(target.server, options, target.env)
    const baseUrl = `http://127.0.0.1:${server.port}`
    const prepared = (await target.setup?.(baseUrl, context)) ?? {}
    const { nextPath } = prepared
    const headers = {
      ...(target.contentType ? { 'content-type': target.contentType } : {}),
      ...prepared.headers,
    }
    const request = {
      url: `${baseUrl}${prepared.path ?? target.path}`,
      method: target.method ?? 'GET',
      headers,
      ...(target.body === undefined ? {} : { body: target.body }),
      connections: settings.connections,
      ...(nextPath
        ? { requests: [{ setupRequest: (each: object) => ({ ...each, path: nextPath() }) }] }
        : {}),
    }
    // Counted while the server is idle: after a run, it may still be answering requests that
    // autocannon sent before it stopped.
    // (A stack's queries are sent by its instances, processes of their own: not counted.)
    if (target.database && target.server !== 'stack') {
      try {
        row.queries = await queriesPerRequest(server.child, request, nextPath)
      } catch (error) {
        log(`${name}: SQL queries not counted, ${(error as Error).message}`)
      }
    }
    if (settings.warmup > 0) {
      log(`${name}: warming up for ${settings.warmup} s`)
      await autocannon({ ...request, duration: settings.warmup })
    }
    return { row, server, request, seconds: 0, requests: 0, p99: 0, failures: 0 }
  } catch (error) {
    log(`${name}: failed, ${(error as Error).message}`)
    if (server) await stopBenchServer(server.child)
    return { ...row, baseline: false, skipped: `failed: ${(error as Error).message}` }
  }
}

/** Load it for `seconds`, and add what it answered to its totals. */
async function round(running: Running, seconds: number): Promise<void> {
  const result = await autocannon({ ...running.request, duration: seconds })
  running.seconds += seconds
  running.requests += result.requests.total
  running.p99 = Math.max(running.p99, result.latency.p99)
  running.failures += result.non2xx + result.errors + result.timeouts
}

/** Its row, with what its rounds measured. */
function measured(running: Running): Row {
  const { row, seconds, requests, p99, failures } = running
  return { ...row, requestsPerSecond: requests / seconds, p99, failures }
}

/**
 * How many rounds a row and the row it is compared with take turns in. A shared machine's
 * speed drifts over seconds (other programs wake up): measured one after the other, a pair's
 * ratio would carry that drift; taking turns, both rows meet the same drift.
 */
const ROUNDS = 5

/** How many requests the SQL count is averaged over: sent one after another, before the run. */
const COUNTED_REQUESTS = 10

/** How many SQL queries one request makes its server send, on average (query-count.ts). */
async function queriesPerRequest(
  child: ChildProcess,
  request: { url: string; method: string; headers: Record<string, string>; body?: string },
  nextPath?: () => string,
): Promise<number> {
  const send = async () => {
    const url = nextPath ? new URL(nextPath(), request.url) : new URL(request.url)
    const { method, headers, body } = request
    const response = await fetch(url, { method, headers, body })
    await response.arrayBuffer()
    if (!response.ok) throw new Error(`${method} ${url.pathname} answered ${response.status}`)
  }
  // One first, not counted: a first request may do what later ones do not.
  await send()
  const { queries } = await countQueries(child, async () => {
    for (let i = 0; i < COUNTED_REQUESTS; i++) await send()
  })
  return queries / COUNTED_REQUESTS
}

/**
 * What one log-in costs in the newest lesson with src/auth: its hashPassword and verifyPassword
 * timed in this process, then POST /auth/login over HTTP against its own server and database.
 * Runs after every target, so nothing else is busy.
 */
async function measureLoginCost(
  lesson: Lesson,
  database: Database,
  log: (text: string) => void,
): Promise<LoginCost> {
  const cost: LoginCost = { lesson: lessonNumber(lesson), notes: [] }
  const failed = (what: string, error: unknown) => {
    const message = `${what} not measured, ${(error as Error).message}`
    if (stopping) return // Ctrl-C stopped its server: not worth a line
    log(`login cost: ${message}`)
    cost.notes.push(message)
    cost.failed = true
  }
  try {
    log(
      `login cost: timing hashPassword and verifyPassword of lesson ${cost.lesson}, ${LOGIN_RUNS} runs each`,
    )
    Object.assign(cost, await timePasswordHashing(lesson.dir, LOGIN_RUNS))
  } catch (error) {
    failed('hashPassword and verifyPassword', error)
  }
  if (stopping) return cost
  if (!database || 'failed' in database) {
    cost.notes.push(
      `POST /auth/login not measured, no Postgres (${database?.failed ?? 'not started'})`,
    )
    return cost
  }
  let server: { child: ChildProcess; port: number } | undefined
  try {
    const prepared = await database.postgres.prepare(lesson.dir)
    log(`login cost: POST /auth/login over HTTP, ${LOGIN_RUNS} times`)
    server = await startBenchServer(
      'lesson',
      { lessonDir: lesson.dir, databaseUrl: prepared.url, jwtSecret: BENCH_JWT_SECRET },
      {},
    )
    cost.login = await timeLogins(`http://127.0.0.1:${server.port}`, LOGIN_RUNS)
  } catch (error) {
    failed('POST /auth/login', error)
  } finally {
    if (server) await stopBenchServer(server.child)
  }
  return cost
}

/** The load average when the run began: machine() prints at the end, when it is another. */
const loadAtStart = loadavg()[0]

function machine(): string {
  const cores = cpus()
  const model = cores[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  const memory = `${Math.round(totalmem() / 1024 ** 3)} GB`
  // Other busy programs skew the numbers; the load average before the run shows whether there were any.
  const load = loadAtStart?.toFixed(1) ?? '?'
  return `${model}, ${cores.length} cores, ${memory}, ${platform()} ${arch()}, Node ${process.version} (load average ${load} at start)`
}

/** Stop what is still running when the run ends early: Ctrl-C, or a kill. */
let cleanUp: () => Promise<void> = async () => {}
let stopping = false
function onSignal(signal: NodeJS.Signals) {
  // Ctrl-C reaches us twice (from the terminal, and relayed by tsx's own process): the
  // handler stays on, so the second one does not kill us halfway through the clean-up.
  if (stopping) return
  stopping = true
  process.stderr.write(`\n${signal}: stopping the servers and the database...\n`)
  const exitCode = signal === 'SIGINT' ? 130 : 143
  const timer = setTimeout(() => process.exit(exitCode), 10_000)
  timer.unref()
  void cleanUp().finally(() => process.exit(exitCode))
}

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2))
  // Progress goes to stderr so `pnpm bench --markdown > bench.md` holds the table alone.
  const log = (text: string) => process.stderr.write(`${text}\n`)
  const lessons = findLessons(join(root, 'lessons'))
  const resolved = onlyThese(resolveTargets(targets, lessons), settings.only)
  // The login cost is the JWT row's lesson's: the newest with src/auth (not with --only).
  const loginLesson = settings.only ? 'left out by --only' : chooseLesson(AUTH, lessons)
  let loginCost: LoginCost | undefined

  let database: Database
  cleanUp = async () => {
    for (const child of children) child.kill('SIGTERM')
    if (database && 'postgres' in database) await database.postgres.close()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  const rows: Row[] = []
  try {
    const needsDatabase =
      typeof loginLesson !== 'string' ||
      resolved.some((each) => each.skipped === undefined && each.target.database)
    if (needsDatabase) {
      database = await startBenchPostgres(log).then(
        (postgres) => ({ postgres }),
        (error: Error) => {
          log(`Postgres: could not start, ${error.message}`)
          return { failed: error.message }
        },
      )
    }
    // A server stays up while a later row is compared with it, to take turns with that row.
    const live = new Map<Row, Running>()
    for (const [index, each] of resolved.entries()) {
      if (stopping) break
      const started = await start(each, settings, database, log)
      if (!('server' in started)) {
        rows.push(started)
        continue
      }
      const other = partner(started.row, rows)
      const twin = other && live.get(other)
      if (twin) {
        log(`${started.row.name}: measuring for ${settings.duration} s, in turns with its twin`)
        const fresh = { ...twin, seconds: 0, requests: 0, p99: 0, failures: 0 }
        for (let turn = 0; turn < ROUNDS && !stopping; turn++) {
          await round(fresh, settings.duration / ROUNDS)
          await round(started, settings.duration / ROUNDS)
        }
        // Both had the same seconds: the ratio of their requests is the ratio of their speeds.
        if (fresh.requests > 0) started.row.pairedRatio = started.requests / fresh.requests
      } else {
        log(`${started.row.name}: measuring for ${settings.duration} s`)
        await round(started, settings.duration)
      }
      const row = measured(started)
      rows.push(row)
      live.set(row, started)
      // Stop the servers no later row is compared with.
      const wanted = resolved.slice(index + 1).flatMap((next) => next.target.compare?.with ?? [])
      for (const [kept, running] of live) {
        if (wanted.includes(kept.name) || wanted.includes(kept.target ?? '')) continue
        live.delete(kept)
        await stopBenchServer(running.server.child)
      }
    }
    if (!stopping && typeof loginLesson !== 'string') {
      loginCost = await measureLoginCost(loginLesson, database, log)
    }
  } finally {
    await cleanUp()
  }

  const how = `${settings.connections} connections, ${settings.duration} s per target after a ${settings.warmup} s warm-up; a row compared with another takes turns with it, ${ROUNDS} rounds of ${settings.duration / ROUNDS} s each, and its ratio is from those turns`
  const postgres = database && 'postgres' in database ? database.postgres : undefined
  const login = loginCost ?? (typeof loginLesson === 'string' ? loginLesson : 'stopped early')
  const capstone = rows.find((row) => row.target === CAPSTONE_ARTICLES && row.queries)
  const about = postgres
    ? [
        `Database: ${postgres.description}; one database per lesson, made with the lesson's own schema function, holding ${SEEDED_TODOS.toLocaleString('en-US')} to-dos (the capstone: ${SEEDED_ARTICLES} articles). SQL per request: the queries the server sent to Postgres, counted over ${COUNTED_REQUESTS} requests one after another before the warm-up.`,
        `GET /todos/:id cycles through the ${SEEDED_TODOS.toLocaleString('en-US')} ids. The raw pg rows are node:http + a pg.Pool of ${POOL_SIZE} (the lessons' size) on the same database as their twin: \`${RAW_SQL.one}\` (the lesson's own SQL) and \`${RAW_SQL.list}\` with 20. Goal: a lesson at ≥ ${RAW_PG_TARGET}× its raw pg twin.`,
        `The (JWT) row is the newest lesson with src/auth: one user signed up and logged in through its API, and every request sends \`Authorization: Bearer <token>\` (checked, then its user loaded). Its (no auth) twin is the newest lesson before it with no /auth routes: the same GET /todos?limit=20, no token. Goal: ≥ ${AUTH_TARGET}× its no-auth twin.`,
        `The (JWT, helmet + CORS) row is the first lesson with src/security.ts (helmet's headers, CORS, no-store); its (JWT, no helmet) twin is the newest lesson before it with log-in: the same route, user and token. Goal: ≥ ${HEADERS_TARGET}×.`,
        `POST /graphql asks \`${GRAPHQL_TODOS}\` as the same user with the same token, on the same lesson as its REST row (GET /todos?limit=20, JWT): the same 20 to-dos (checked before the run), the fields the query names.`,
        'The (JWT, NGINX + 2 instances) row is `pnpm start` of the newest lesson with src/stack.ts: NGINX in front of two instances, every process on this one machine with autocannon; its twin is one instance of the same lesson, without NGINX. The same user, token and route.',
        'The page rows are the newest lesson that serves the web page (public/): @fastify/static sending the file whole each time (autocannon sends no If-None-Match), with the security headers.',
        `The capstone row is a visitor's GET /api/articles (no token): ${SEEDED_ARTICLES} articles by 5 authors, 1 to 3 tags each, favourited 0 to 5 times, written through its own stores. Its raw pg twin sends the same two queries word for word (the page, with each article's tags by a sub-select, and the count), side by side as the capstone does, and builds the same JSON.`,
        ...(capstone ? [`${capstone.name}: ${capstone.queries} SQL queries per request.`] : []),
      ]
    : []
  const warnings = rows
    .filter((row) => row.failures)
    .map(
      (row) =>
        `${row.name}: ${row.failures} answers were errors or not 2xx, so its numbers mislead.`,
    )

  if (settings.markdown) {
    if (postgres) console.log(`${startupTable(postgres.startup, true)}\n`)
    console.log(`${loginTable(login, true)}\n`)
    console.log(markdownTable(rows))
    console.log('')
    console.log(`Measured with \`pnpm bench\` (autocannon, ${how}) on ${machine()}.`)
    for (const line of about) console.log(`\n${line}`)
    const skipped = rows.filter((row) => row.skipped).map((row) => `${row.name} (${row.skipped})`)
    if (skipped.length) console.log(`\nNot measured: ${skipped.join('; ')}.`)
    for (const warning of warnings) console.log(`\n**${warning}**`)
  } else {
    console.log('')
    console.log(`Machine:  ${machine()}`)
    console.log(`Load:     autocannon, ${how}`)
    for (const line of about) console.log(line)
    if (postgres) console.log(`\n${startupTable(postgres.startup, false)}`)
    console.log(`\n${loginTable(login, false)}`)
    console.log('')
    console.log(textTable(rows))
    if (warnings.length) console.log(`\n${warnings.join('\n')}`)
  }
  return rows.some((row) => row.failures) || loginCost?.failed ? 1 : 0
}

const USAGE = `Usage: pnpm bench [--duration 5] [--warmup 1] [--connections 50] [--markdown] [--only text]

Measures every target in scripts/src/bench/targets.ts, one after the other, each server in its
own process. Database targets (lesson 07 on) run on one throwaway embedded Postgres, or on the
server at DATABASE_URL when it is set. Then, for the newest lesson with log-in (src/auth), the
cost of one login: hashPassword and verifyPassword, and POST /auth/login over HTTP.
--markdown prints tables to paste into a README (progress goes to stderr).
--only JWT measures only the rows whose name has "JWT", and the rows they are compared with.`

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE)
} else {
  try {
    process.exitCode = await main()
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exitCode = 1
  }
}
