import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startBenchServer, stopBenchServer } from '../src/bench/child.js'
import { SEEDED_TODOS, schemaFunction, startBenchPostgres } from '../src/bench/database.js'
import { type LoginCost, percentile, summarise } from '../src/bench/login-cost.js'
import {
  loginTable,
  markdownTable,
  type Row,
  ratio,
  ratios,
  textTable,
} from '../src/bench/report.js'
import { cycleTodoIds } from '../src/bench/setup.js'
import {
  AUTH,
  type BenchTarget,
  chooseLesson,
  FIRST_DATABASE,
  IN_MEMORY,
  NO_AUTH,
  NO_AUTH_LIST,
  PAGINATION,
  RAW_LIST,
  RAW_ONE,
  type ResolvedTarget,
  resolveTarget,
  targets,
} from '../src/bench/targets.js'
import { findLessons, type Lesson } from '../src/lessons.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const lessons = findLessons(join(repo, 'lessons'))

function lesson(number: number, dir: string, title = 'A lesson'): Lesson {
  return { number, id: `0${number}-x`, slug: 'x', dir, packageName: 'x', title, scripts: {} }
}

function lessonDirOf(resolved: ResolvedTarget): string | undefined {
  return resolved.skipped === undefined ? resolved.lessonDir : undefined
}

t.test('the target list resolves the database targets', async (t) => {
  const resolved = targets.map((target) => resolveTarget(target, lessons))
  const byName = new Map(resolved.map((each) => [each.target.name, each]))

  // The raw pg row and its twin: the first lesson on PostgreSQL (07-postgres).
  const firstDatabase = chooseLesson(FIRST_DATABASE, lessons) as Lesson
  const one = byName.get(RAW_ONE)
  t.equal(one && lessonDirOf(one), firstDatabase.dir)
  const lessonOne = byName.get('lesson {lesson} GET /todos/:id')
  t.equal(lessonOne?.name, `lesson ${firstDatabase.id.slice(0, 2)} GET /todos/:id`)
  t.equal(lessonOne?.target.twin, RAW_ONE)
  t.equal(byName.get('lesson {lesson} GET /todos?limit=20')?.target.twin, RAW_LIST)
  // The in-memory rows: the newest lesson before it (06-config-and-shutdown).
  const inMemory = byName.get('lesson {lesson} GET /todos (10 to-dos)')
  t.equal(inMemory && lessonDirOf(inMemory), lessons[lessons.indexOf(firstDatabase) - 1]?.dir)
  // The JWT pair: the newest lesson with src/auth, and the newest before it with no /auth route.
  const newestAuth = lessons.findLast((each) => existsSync(join(each.dir, 'src', 'auth')))
  const jwt = resolved.find((each) => each.target.noAuthTwin)
  t.equal(jwt?.target.noAuthTwin, NO_AUTH_LIST)
  if (typeof chooseLesson(AUTH, lessons) !== 'string') {
    t.equal(jwt && lessonDirOf(jwt), newestAuth?.dir)
    const noAuth = byName.get(NO_AUTH_LIST)
    const noAuthDir = noAuth && lessonDirOf(noAuth)
    t.ok(noAuthDir && !existsSync(join(noAuthDir, 'src', 'auth')), 'no auth in the twin')
  }

  for (const each of resolved) {
    // Every twin names a raw pg row that is in the list.
    if (each.target.twin) {
      t.equal(byName.get(each.target.twin)?.target.server, 'raw-pg', `${each.name}'s twin`)
    }
    // Every database target found a lesson with a schema function to build its database.
    if (each.target.database && each.skipped === undefined && each.lessonDir) {
      t.type(await schemaFunction(each.lessonDir), 'function', `${each.name}'s schema`)
    }
  }
})

t.test('the list target takes the newest lesson that has pagination, or is skipped', async (t) => {
  const dir = t.testdir({
    '07-postgres': { 'README.md': '# Postgres\n', src: { 'app.ts': 'list()\n' } },
    '09-migrations': {
      'README.md': '# Migrations\n\nNext lesson: pagination.\n',
      src: { 'app.ts': 'list()\n' },
    },
    '10-queries': { src: { todos: { 'routes.ts': 'const limit = 20\n' } } },
    '11-constraints': { 'README.md': '# Lists\n', src: { 'app.ts': 'const limit = 20\n' } },
  })
  const list: BenchTarget = {
    name: 'lesson {lesson} GET /todos?limit=20',
    server: 'lesson',
    lesson: PAGINATION,
    path: '/todos?limit=20',
  }
  const upTo9 = [lesson(7, join(dir, '07-postgres')), lesson(9, join(dir, '09-migrations'))]
  // 09's README mentions pagination, but its code has no limit: it does not count.
  t.same(resolveTarget(list, upTo9), {
    target: list,
    name: 'lesson NN GET /todos?limit=20',
    skipped: 'no lesson with ?limit yet (lesson 10)',
  })

  const upTo11 = [
    ...upTo9,
    lesson(10, join(dir, '10-queries'), 'Queries, pagination and indexes'),
    lesson(11, join(dir, '11-constraints')),
  ]
  const found = resolveTarget(list, upTo11)
  t.equal(found.name, 'lesson 10 GET /todos?limit=20')
  t.equal(found.skipped, undefined)
  t.equal(lessonDirOf(found), join(dir, '10-queries'))

  const raw: BenchTarget = { ...list, server: 'raw-pg', lesson: { ...PAGINATION, otherwise: '07' } }
  // Its raw pg twin follows it, falling back to lesson 07 instead of being skipped.
  t.equal(lessonDirOf(resolveTarget(raw, upTo9)), join(dir, '07-postgres'))
  t.equal(lessonDirOf(resolveTarget(raw, upTo11)), join(dir, '10-queries'))

  const fixed = resolveTarget(
    { name: 'lesson {lesson} x', server: 'lesson', lesson: '12', path: '/' },
    upTo11,
  )
  t.same([fixed.name, fixed.skipped], ['lesson 12 x', 'there is no lesson 12 yet'])
})

t.test(
  'the first-database and in-memory rows take the lessons around the move to Postgres',
  async (t) => {
    const dir = t.testdir({
      '05-logging': { src: { 'app.ts': 'buildApp()\n' } },
      '06-config': { src: { 'app.ts': 'buildApp()\n' } },
      '07-postgres': { src: { 'app.ts': 'buildApp({ databaseUrl })\n' } },
      '08-kysely': { src: { 'app.ts': 'buildApp({ databaseUrl })\n' } },
    })
    const all = ['05-logging', '06-config', '07-postgres', '08-kysely'].map((id) =>
      lesson(Number(id.slice(0, 2)), join(dir, id)),
    )
    t.equal(
      lessonDirOf(
        resolveTarget({ name: 'x', server: 'lesson', lesson: FIRST_DATABASE, path: '/' }, all),
      ),
      join(dir, '07-postgres'),
    )
    t.equal(
      lessonDirOf(
        resolveTarget({ name: 'x', server: 'lesson', lesson: IN_MEMORY, path: '/' }, all),
      ),
      join(dir, '06-config'),
    )
    t.equal(chooseLesson(FIRST_DATABASE, all.slice(0, 2)), FIRST_DATABASE.missing)
  },
)

t.test('ratios: to the node:http baseline and to the raw pg twin', async (t) => {
  const rows: Row[] = [
    { name: 'node:http', baseline: true, requestsPerSecond: 40_000 },
    { name: 'raw one', baseline: false, requestsPerSecond: 8_000 },
    { name: 'lesson one', baseline: false, twin: 'raw one', requestsPerSecond: 3_200 },
    { name: 'raw list', baseline: false, requestsPerSecond: 2_000 },
    { name: 'lesson list', baseline: false, twin: 'raw list', skipped: 'no lesson' },
    { name: 'orphan', baseline: false, twin: 'missing', requestsPerSecond: 1_000 },
  ]
  t.same(ratios(rows), [
    { vsBaseline: 1, vsTwin: undefined, vsNoAuth: undefined },
    { vsBaseline: 0.2, vsTwin: undefined, vsNoAuth: undefined },
    { vsBaseline: 0.08, vsTwin: 0.4, vsNoAuth: undefined },
    { vsBaseline: 0.05, vsTwin: undefined, vsNoAuth: undefined },
    { vsBaseline: undefined, vsTwin: undefined, vsNoAuth: undefined },
    { vsBaseline: 0.025, vsTwin: undefined, vsNoAuth: undefined },
  ])
  t.equal(ratio(rows[1] as Row, { name: 'zero', baseline: true, requestsPerSecond: 0 }), undefined)

  const text = textTable(rows)
  t.match(text, /lesson one\s+3,200\s+—\s+0\.08×\s+0\.40× \(below 0\.5×\)/)
  t.match(text, /lesson list\s+\(skipped: no lesson\)/)
  const markdown = markdownTable(rows)
  t.match(markdown, '| target | req/s | p99 latency (ms) | vs node:http | vs raw pg |')
  t.match(markdown, '| lesson one | 3,200 | — | 0.08× | 0.40× (below 0.5×) |')
  t.notMatch(markdown, 'lesson list')
  // No row has a no-auth twin: no such column.
  t.notMatch(text, 'vs no auth')
  t.notMatch(markdown, 'vs no auth')
})

t.test('ratios: the JWT row to its no-auth twin, found by its name in targets.ts', async (t) => {
  const noAuth = 'lesson {lesson} list (no auth)'
  const rows: Row[] = [
    { name: 'node:http', baseline: true, requestsPerSecond: 40_000 },
    { name: 'lesson 08 list (no auth)', target: noAuth, baseline: false, requestsPerSecond: 5_000 },
    {
      name: 'lesson 10 list (JWT)',
      target: 'lesson {lesson} list (JWT)',
      baseline: false,
      noAuthTwin: noAuth,
      requestsPerSecond: 4_500,
    },
    { name: 'slow JWT', baseline: false, noAuthTwin: noAuth, requestsPerSecond: 2_000 },
    { name: 'twin skipped', baseline: false, noAuthTwin: 'gone', requestsPerSecond: 2_000 },
  ]
  const all = ratios(rows)
  t.equal(all[2]?.vsNoAuth, 0.9)
  t.equal(all[3]?.vsNoAuth, 0.4)
  t.equal(all[4]?.vsNoAuth, undefined)
  t.equal(all[1]?.vsNoAuth, undefined, 'the twin itself has no ratio')
  t.equal(all[2]?.vsTwin, undefined)

  const skippedTwin = rows.map((row) =>
    row.target === noAuth ? { ...row, skipped: 'no lesson' } : row,
  )
  t.equal(ratios(skippedTwin)[2]?.vsNoAuth, undefined, 'no ratio to a row not measured')

  const text = textTable(rows)
  t.match(text, /vs raw pg\s+vs no auth/)
  t.match(text, /lesson 10 list \(JWT\)\s+4,500\s+—\s+0\.11×\s+0\.90×/)
  t.match(text, /slow JWT\s+2,000\s+—\s+0\.05×\s+0\.40× \(below 0\.8×\)/)
  const markdown = markdownTable(rows)
  t.match(markdown, '| vs node:http | vs raw pg | vs no auth |\n|---|---:|---:|---:|---:|---:|\n')
  t.match(markdown, '| lesson 10 list (JWT) | 4,500 | — | 0.11× |  | 0.90× |')
  t.match(markdown, '| lesson 08 list (no auth) | 5,000 | — | 0.13× |  |  |')
})

t.test('login cost: median and p95, and its table', async (t) => {
  t.equal(percentile([1, 2, 3], 0.5), 2)
  t.equal(percentile([1, 2, 3, 4], 0.5), 2.5)
  t.ok(Number.isNaN(percentile([], 0.5)))
  const twenty = Array.from({ length: 20 }, (_, i) => 20 - i) // 20 … 1, out of order
  t.same(summarise(twenty), { runs: 20, median: 10.5, p95: 19.05 })

  const cost: LoginCost = {
    lesson: '10',
    hash: { runs: 20, median: 61.23, p95: 70.5 },
    verify: { runs: 20, median: 60, p95: 66 },
    notes: ['POST /auth/login not measured, no Postgres (boom)'],
  }
  const markdown = loginTable(cost, true)
  t.match(markdown, '| login cost (lesson 10) | what | runs | median | p95 |')
  t.match(markdown, /\| hashPassword \| [^|]+ \| 20 \| 61\.2 ms \| 70\.5 ms \|/)
  t.match(markdown, /\| verifyPassword \| [^|]+ \| 20 \| 60\.0 ms \| 66\.0 ms \|/)
  t.notMatch(markdown, 'POST /auth/login |')
  t.match(markdown, 'Login cost: POST /auth/login not measured, no Postgres (boom).')
  const text = loginTable({ ...cost, login: { runs: 20, median: 8.456, p95: 9 }, notes: [] }, false)
  t.match(text, /^Login cost \(lesson 10\):/)
  t.match(text, /POST \/auth\/login\s+over HTTP[^\n]+\s20\s+8\.46 ms\s+9\.00 ms/)
  t.equal(
    loginTable('no lesson with src/auth', true),
    'Login cost: not measured (no lesson with src/auth).',
  )
})

t.test(
  'the JWT row takes the newest lesson with src/auth, its twin the newest before it without auth',
  async (t) => {
    // A function: the fixture may not share one object between folders.
    const paged = () => ({ 'routes.ts': 'const limit = 20\n' })
    const dir = t.testdir({
      '10-queries': { src: { todos: paged() } },
      '13-concurrency': { src: { todos: paged() } },
      // Lesson 14's sign-up is an /auth route in src/auth, but no log-in: neither row's.
      '14-users': { src: { todos: paged(), auth: { 'routes.ts': "app.post('/auth/signup')\n" } } },
      '15-jwt': {
        src: {
          auth: { 'routes.ts': "import jwt from '@fastify/jwt'\n'/auth/login'\n" },
          todos: paged(),
        },
      },
      '18-owners': {
        src: {
          auth: { 'routes.ts': "import jwt from '@fastify/jwt'\n'/auth/login'\n" },
          todos: paged(),
        },
      },
    })
    const all = ['10-queries', '13-concurrency', '14-users', '15-jwt', '18-owners'].map((id) =>
      lesson(Number(id.slice(0, 2)), join(dir, id)),
    )
    const upTo = (number: number) => all.filter((each) => each.number <= number)
    const jwt = targets.find((target) => target.noAuthTwin) as BenchTarget
    const twin = targets.find((target) => target.name === jwt.noAuthTwin) as BenchTarget
    t.equal(twin.name, NO_AUTH_LIST)

    const pair = (lessons: Lesson[]) => [resolveTarget(jwt, lessons), resolveTarget(twin, lessons)]
    let [withJwt, without] = pair(upTo(15))
    t.equal(withJwt?.name, 'lesson 15 GET /todos?limit=20 (JWT)')
    t.equal(lessonDirOf(withJwt as ResolvedTarget), join(dir, '15-jwt'))
    t.equal(without?.name, 'lesson 13 GET /todos?limit=20 (no auth)')
    t.equal(lessonDirOf(without as ResolvedTarget), join(dir, '13-concurrency'))

    // A later lesson with log-in takes over by itself; the twin stays the last one without.
    ;[withJwt, without] = pair(all)
    t.equal(withJwt?.name, 'lesson 18 GET /todos?limit=20 (JWT)')
    t.equal(without?.name, 'lesson 13 GET /todos?limit=20 (no auth)')

    // Before lesson 15: both skipped, saying why.
    ;[withJwt, without] = pair(upTo(14))
    t.same([withJwt?.name, withJwt?.skipped], ['lesson NN GET /todos?limit=20 (JWT)', AUTH.missing])
    t.same(
      [without?.name, without?.skipped],
      ['lesson NN GET /todos?limit=20 (no auth)', AUTH.missing],
    )

    // A lesson with log-in but none without auth before it: the JWT row runs, its twin is skipped.
    const onlyAuth = [all[2], all[3]] as Lesson[]
    ;[withJwt, without] = pair(onlyAuth)
    t.equal(lessonDirOf(withJwt as ResolvedTarget), join(dir, '15-jwt'))
    t.equal(without?.skipped, NO_AUTH.missing)

    // The login cost takes the same lesson as the JWT row.
    t.equal((chooseLesson(AUTH, all) as Lesson).number, 18)
    t.equal(chooseLesson(AUTH, upTo(14)), AUTH.missing)
  },
)

const firstDatabase = chooseLesson(FIRST_DATABASE, lessons)
const needsDatabase = { skip: typeof firstDatabase === 'string' ? firstDatabase : false }

t.test(
  'the raw pg server answers like the lesson, from the bench database',
  needsDatabase,
  async (t) => {
    const lessonDir = (firstDatabase as Lesson).dir
    // A throwaway embedded Postgres (or DATABASE_URL's server), as `pnpm bench` uses.
    const postgres = await startBenchPostgres(() => {})
    t.teardown(() => postgres.close())
    const database = await postgres.prepare(lessonDir)
    t.equal(database.todoIds.length, SEEDED_TODOS)

    const options = { lessonDir, databaseUrl: database.url }
    const [raw, app] = await Promise.all([
      startBenchServer('raw-pg', options),
      startBenchServer('lesson', options),
    ])
    t.teardown(() => Promise.all([stopBenchServer(raw.child), stopBenchServer(app.child)]))
    const get = async (port: number, path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`)
      return { status: response.status, body: (await response.json()) as unknown }
    }

    const id = database.todoIds[41]
    const fromRaw = await get(raw.port, `/todos/${id}`)
    t.equal(fromRaw.status, 200)
    t.match(fromRaw.body, { id, title: 'To-do number 42', done: false, createdAt: String })
    t.same(fromRaw, await get(app.port, `/todos/${id}`), 'the same answer as the lesson')

    const list = await get(raw.port, '/todos?limit=20')
    t.equal((list.body as unknown[]).length, 20)
    t.match((list.body as unknown[])[0], { id: database.todoIds[0] })
    t.equal((await get(raw.port, '/todos/999999')).status, 404)

    // The bench's setup cycles through the seeded ids.
    const { nextPath } = await cycleTodoIds('', { todoIds: [3, 5] })
    t.same([nextPath?.(), nextPath?.(), nextPath?.()], ['/todos/3', '/todos/5', '/todos/3'])
  },
)
