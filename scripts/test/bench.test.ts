import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { SEEDED_ARTICLES, seedArticles } from '../src/bench/articles.js'
import { countQueries, startBenchServer, stopBenchServer } from '../src/bench/child.js'
import { SEEDED_TODOS, schemaFunction, startBenchPostgres } from '../src/bench/database.js'
import { type LoginCost, percentile, summarise } from '../src/bench/login-cost.js'
import { ARTICLE_SQL, RAW_SQL } from '../src/bench/raw-routes.js'
import {
  loginTable,
  markdownTable,
  partner,
  type Row,
  ratio,
  ratios,
  textTable,
} from '../src/bench/report.js'
import { cycleTodoIds } from '../src/bench/setup.js'
import {
  AUTH,
  type BenchTarget,
  CAPSTONE,
  CAPSTONE_ARTICLES,
  chooseLesson,
  FIRST_DATABASE,
  GRAPHQL,
  HEADERS,
  IN_MEMORY,
  JWT_LIST,
  NO_AUTH,
  NO_AUTH_LIST,
  NO_HEADERS,
  NO_HEADERS_LIST,
  onlyThese,
  PAGE,
  PAGINATION,
  RAW_ARTICLES,
  RAW_LIST,
  RAW_ONE,
  type ResolvedTarget,
  resolveTarget,
  resolveTargets,
  STACK,
  targets,
} from '../src/bench/targets.js'
import { findLessons, type Lesson } from '../src/lessons.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const lessons = findLessons(join(repo, 'lessons'))

function lesson(
  number: number,
  dir: string,
  title = 'A lesson',
  scripts: Record<string, string> = {},
): Lesson {
  return { number, id: `0${number}-x`, slug: 'x', dir, packageName: 'x', title, scripts }
}

function lessonDirOf(resolved: ResolvedTarget): string | undefined {
  return resolved.skipped === undefined ? resolved.lessonDir : undefined
}

t.test('the target list resolves the database targets', async (t) => {
  const resolved = resolveTargets(targets, lessons)
  const find = (name: string) => resolved.find((each) => each.target.name === name)
  const templates = new Set(targets.map((target) => target.name))

  // The raw pg row and its twin: the first lesson on PostgreSQL (07-postgres).
  const firstDatabase = chooseLesson(FIRST_DATABASE, lessons) as Lesson
  const one = find(RAW_ONE)
  t.equal(one && lessonDirOf(one), firstDatabase.dir)
  const lessonOne = find('lesson {lesson} GET /todos/:id')
  t.equal(lessonOne?.name, `lesson ${firstDatabase.id.slice(0, 2)} GET /todos/:id`)
  t.equal(lessonOne?.target.compare?.with, RAW_ONE)
  t.equal(find('lesson {lesson} GET /todos?limit=20')?.target.compare?.with, RAW_LIST)
  // The in-memory rows: the newest lesson before it (06-config-and-shutdown).
  const inMemory = find('lesson {lesson} GET /todos (10 to-dos)')
  t.equal(inMemory && lessonDirOf(inMemory), lessons[lessons.indexOf(firstDatabase) - 1]?.dir)
  // The JWT pair: the newest to-do lesson with src/auth, the newest before it with no /auth route.
  const todoLessons = lessons.filter((each) => existsSync(join(each.dir, 'src', 'todos')))
  const newestAuth = todoLessons.findLast((each) => existsSync(join(each.dir, 'src', 'auth')))
  const jwt = resolved.find((each) => each.target.compare?.with === NO_AUTH_LIST)
  t.equal(jwt?.target.name, JWT_LIST)
  if (typeof chooseLesson(AUTH, lessons) !== 'string') {
    t.equal(jwt && lessonDirOf(jwt), newestAuth?.dir)
    const noAuth = find(NO_AUTH_LIST)
    const noAuthDir = noAuth && lessonDirOf(noAuth)
    t.ok(noAuthDir && !existsSync(join(noAuthDir, 'src', 'auth')), 'no auth in the twin')
  }

  // The capstone is another API: its two rows are on it, no to-do row is.
  const capstone = chooseLesson(CAPSTONE, lessons)
  if (typeof capstone !== 'string') {
    t.ok(capstone.scripts.conformance, 'the capstone has a conformance script')
    for (const name of [RAW_ARTICLES, CAPSTONE_ARTICLES]) {
      const row = find(name)
      t.equal(row && lessonDirOf(row), capstone.dir, `${name} is on the capstone`)
    }
    for (const each of resolved) {
      if (each.target.path.startsWith('/todos')) {
        t.not(lessonDirOf(each), capstone.dir, `${each.name} is not on the capstone`)
      }
    }
  }

  for (const each of resolved) {
    // Every comparison names a target in the list; a 'raw pg' one names a raw pg row.
    const compare = each.target.compare
    if (compare) {
      t.ok(templates.has(compare.with), `${each.name} is compared with a target of the list`)
      if (compare.as === 'raw pg') {
        const raw = find(compare.with)
        t.equal(raw?.target.server, 'raw-pg', `${each.name}'s twin runs raw pg`)
        t.equal(raw && lessonDirOf(raw), lessonDirOf(each), 'on the same database')
      }
    }
    // Every database target found a lesson with a schema function to build its database.
    if (each.target.database && each.skipped === undefined && each.lessonDir) {
      t.type(await schemaFunction(each.lessonDir), 'function', `${each.name}'s schema`)
    }
  }
  t.equal(new Set(resolved.map((each) => each.name)).size, resolved.length, 'one name, one row')
})

t.test(
  'the NGINX row is the newest lesson’s stack, compared with one instance of it',
  async (t) => {
    const all = resolveTargets(targets, lessons)
    const stack = all.find((row) => row.target.server === 'stack')
    const lesson = chooseLesson(STACK, lessons)
    if (typeof lesson === 'string') return t.fail(lesson)
    t.equal(lessonDirOf(stack as ResolvedTarget), lesson.dir)
    t.ok(existsSync(join(lesson.dir, 'src', 'stack.ts')))
    t.equal(stack?.target.compare?.with, JWT_LIST, 'its twin: the same route, one instance')
    const twin = all.find((row) => row.target.name === JWT_LIST && row.lesson === stack?.lesson)
    t.ok(twin, 'a one-instance row on the same lesson')
    t.equal(twin?.target.server, 'lesson')
  },
)

t.test(
  '--only keeps the rows whose name has the text, and the rows they compare with',
  async (t) => {
    const all = resolveTargets(targets, lessons)
    const names = (rows: ResolvedTarget[]) => rows.map((row) => row.target.name)
    const jwt = onlyThese(all, 'jwt)')
    t.ok(names(jwt).includes(JWT_LIST), 'the JWT row')
    t.ok(names(jwt).includes(NO_AUTH_LIST), 'and its no-auth twin, though its name lacks "JWT"')
    t.notOk(names(jwt).includes(RAW_LIST), 'not the others')
    t.same(onlyThese(all, undefined), all, 'without --only, every row')
    t.same(onlyThese(all, 'no such row'), [])
  },
)

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

const rawPg = (name: string) => ({ with: name, as: 'raw pg', goal: 0.5 })

t.test('ratios: to the node:http baseline and to the row each is compared with', async (t) => {
  const rows: Row[] = [
    { name: 'node:http', baseline: true, requestsPerSecond: 40_000 },
    { name: 'raw one', baseline: false, requestsPerSecond: 8_000 },
    { name: 'lesson one', baseline: false, compare: rawPg('raw one'), requestsPerSecond: 3_200 },
    { name: 'raw list', baseline: false, requestsPerSecond: 2_000 },
    { name: 'lesson list', baseline: false, compare: rawPg('raw list'), skipped: 'no lesson' },
    { name: 'orphan', baseline: false, compare: rawPg('missing'), requestsPerSecond: 1_000 },
  ]
  t.same(ratios(rows), [
    { vsBaseline: 1, vsPartner: undefined },
    { vsBaseline: 0.2, vsPartner: undefined },
    { vsBaseline: 0.08, vsPartner: 0.4 },
    { vsBaseline: 0.05, vsPartner: undefined },
    { vsBaseline: undefined, vsPartner: undefined },
    { vsBaseline: 0.025, vsPartner: undefined },
  ])
  t.equal(ratio(rows[1] as Row, { name: 'zero', baseline: true, requestsPerSecond: 0 }), undefined)

  const text = textTable(rows)
  t.match(text, /lesson one\s+3,200\s+—\s+0\.08×\s+raw pg\s+0\.40× \(below 0\.5×\)/)
  t.match(text, /lesson list\s+\(skipped: no lesson\)/)
  const markdown = markdownTable(rows)
  t.match(
    markdown,
    '| target | req/s | p99 latency (ms) | vs node:http | compared with | ratio |\n|---|---:|---:|---:|---|---:|\n',
  )
  t.match(markdown, '| lesson one | 3,200 | — | 0.08× | raw pg | 0.40× (below 0.5×) |')
  t.match(markdown, '| raw one | 8,000 | — | 0.20× |  |  |')
  t.notMatch(markdown, 'lesson list')
  // No row counted its SQL: no such column.
  t.notMatch(text, 'SQL per request')
  t.notMatch(markdown, 'SQL per request')
  // No row compared with another: no such columns either.
  const alone = markdownTable(rows.slice(0, 2))
  t.match(alone, '| target | req/s | p99 latency (ms) | vs node:http |\n|---|---:|---:|---:|\n')
})

t.test('ratios: a pair that took turns shows the ratio of its turns', async (t) => {
  const rows: Row[] = [
    { name: 'node:http', baseline: true, requestsPerSecond: 40_000 },
    // Measured alone at 5,000, then again in turns with its twin (bench.ts), which gave 0.8.
    { name: 'no auth', baseline: false, requestsPerSecond: 5_000 },
    {
      name: 'JWT',
      baseline: false,
      compare: { with: 'no auth', as: 'no auth', goal: 0.8 },
      requestsPerSecond: 3_600,
      pairedRatio: 0.8,
    },
  ]
  t.equal(ratios(rows)[2]?.vsPartner, 0.8, 'not 3,600 / 5,000')
  t.match(textTable(rows), /JWT\s+3,600\s+—\s+0\.09×\s+no auth\s+0\.80×\n?/)
  t.notMatch(textTable(rows), 'below')
})

t.test('ratios: a comparison names its row as written in targets.ts', async (t) => {
  const noAuth = 'lesson {lesson} list (no auth)'
  const compare = { with: noAuth, as: 'no auth', goal: 0.8 }
  const rows: Row[] = [
    { name: 'node:http', baseline: true, requestsPerSecond: 40_000 },
    {
      name: 'lesson 08 list (no auth)',
      target: noAuth,
      lesson: '08',
      baseline: false,
      requestsPerSecond: 5_000,
      queries: 1,
    },
    {
      name: 'lesson 10 list (JWT)',
      target: 'lesson {lesson} list (JWT)',
      lesson: '10',
      baseline: false,
      compare,
      requestsPerSecond: 4_500,
      queries: 2,
    },
    { name: 'slow JWT', baseline: false, compare, requestsPerSecond: 2_000, queries: 2.5 },
    { name: 'twin skipped', baseline: false, compare: { ...compare, with: 'gone' } },
  ]
  const all = ratios(rows)
  t.equal(all[2]?.vsPartner, 0.9)
  t.equal(all[3]?.vsPartner, 0.4)
  t.equal(all[4]?.vsPartner, undefined)
  t.equal(all[1]?.vsPartner, undefined, 'the twin itself has no ratio')

  const skippedTwin = rows.map((row) =>
    row.target === noAuth ? { ...row, skipped: 'no lesson' } : row,
  )
  t.equal(ratios(skippedTwin)[2]?.vsPartner, undefined, 'no ratio to a row not measured')

  const text = textTable(rows)
  t.match(text, /vs node:http\s+SQL per request\s+compared with\s+ratio/)
  // The other row is on another lesson: the column says which.
  t.match(text, /lesson 10 list \(JWT\)\s+4,500\s+—\s+0\.11×\s+2\s+no auth \(lesson 08\)\s+0\.90×/)
  t.match(
    text,
    /slow JWT\s+2,000\s+—\s+0\.05×\s+2\.5\s+no auth \(lesson 08\)\s+0\.40× \(below 0\.8×\)/,
  )
  const markdown = markdownTable(rows)
  t.match(
    markdown,
    '| vs node:http | SQL per request | compared with | ratio |\n|---|---:|---:|---:|---:|---|---:|\n',
  )
  t.match(
    markdown,
    '| lesson 10 list (JWT) | 4,500 | — | 0.11× | 2 | no auth (lesson 08) | 0.90× |',
  )
  t.match(markdown, '| lesson 08 list (no auth) | 5,000 | — | 0.13× | 1 |  |  |')
})

t.test('ratios: of several rows with the name it gives, the one on the same lesson', async (t) => {
  const rest = 'lesson {lesson} list (JWT)'
  const rows: Row[] = [
    { name: 'lesson 27 list (JWT)', target: rest, lesson: '27', baseline: false },
    { name: 'lesson 25 list (JWT)', target: rest, lesson: '25', baseline: false },
    {
      name: 'lesson 25 graphql',
      target: 'lesson {lesson} graphql',
      lesson: '25',
      baseline: false,
      compare: { with: rest, as: 'REST' },
    },
    {
      name: 'lesson 26 graphql',
      target: 'lesson {lesson} graphql',
      lesson: '26',
      baseline: false,
      compare: { with: rest, as: 'REST' },
    },
  ].map((row, i) => ({ ...row, requestsPerSecond: [4_000, 2_000, 1_000, 1_000][i] }))
  t.equal(partner(rows[2] as Row, rows)?.name, 'lesson 25 list (JWT)')
  t.equal(ratios(rows)[2]?.vsPartner, 0.5)
  // None on its lesson: the first with that name.
  t.equal(partner(rows[3] as Row, rows)?.name, 'lesson 27 list (JWT)')
  // Never itself.
  const self: Row = { name: 'x', target: 'x', baseline: false, compare: { with: 'x', as: 'x' } }
  t.equal(partner(self, [self]), undefined)
  t.match(markdownTable(rows), '| lesson 25 graphql | 1,000 | — | — | REST | 0.50× |')
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
    const jwt = targets.find((target) => target.compare?.as === 'no auth') as BenchTarget
    const twin = targets.find((target) => target.name === jwt.compare?.with) as BenchTarget
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

t.test(
  'the client lessons’ rows: helmet’s first lesson and the one before, the page, GraphQL, the capstone',
  async (t) => {
    const jwt = "import jwt from '@fastify/jwt'\n"
    const dir = t.testdir({
      '18-owners': { src: { auth: { 'routes.ts': jwt }, todos: {} } },
      '20-logout': { src: { auth: { 'routes.ts': jwt }, todos: {} } },
      '21-headers': { src: { auth: { 'routes.ts': jwt }, todos: {}, 'security.ts': 'helmet\n' } },
      '22-page': {
        src: { auth: { 'routes.ts': jwt }, todos: {}, 'security.ts': 'helmet\n' },
        public: { 'index.html': '<!doctype html>\n' },
      },
      '25-graphql': {
        src: { auth: { 'routes.ts': jwt }, todos: {}, 'security.ts': 'helmet\n', graphql: {} },
        public: { 'index.html': '<!doctype html>\n' },
      },
      // The capstone: log-in and helmet-less, but no to-dos; its package.json has `conformance`.
      '26-realworld': { src: { auth: { 'routes.ts': jwt } } },
    })
    const all = [
      '18-owners',
      '20-logout',
      '21-headers',
      '22-page',
      '25-graphql',
      '26-realworld',
    ].map((id) =>
      lesson(
        Number(id.slice(0, 2)),
        join(dir, id),
        'A lesson',
        id === '26-realworld' ? { conformance: 'tsx test/conformance.ts' } : {},
      ),
    )
    const number = (choice: typeof AUTH, lessons = all) => {
      const found = chooseLesson(choice, lessons)
      return typeof found === 'string' ? found : found.number
    }
    t.equal(number(HEADERS), 21)
    t.equal(number(NO_HEADERS), 20)
    t.equal(number(PAGE), 25)
    t.equal(number(GRAPHQL), 25)
    t.equal(number(CAPSTONE), 26)
    // The to-do rows stay on the to-do lessons: the newest with log-in is 25, not the capstone.
    t.equal(number(AUTH), 25)

    const upTo20 = all.slice(0, 2)
    t.equal(number(HEADERS, upTo20), HEADERS.missing)
    t.equal(number(NO_HEADERS, upTo20), HEADERS.missing, 'no helmet lesson, no twin either')
    t.equal(number(PAGE, upTo20), PAGE.missing)
    t.equal(number(GRAPHQL, upTo20), GRAPHQL.missing)
    t.equal(number(CAPSTONE, all.slice(0, 5)), CAPSTONE.missing)

    // The rows of the list: helmet compared with its twin, GraphQL with REST on its own lesson.
    const resolved = resolveTargets(targets, all)
    const named = (name: string) => resolved.find((each) => each.name === name)
    t.equal(
      named('lesson 21 GET /todos?limit=20 (JWT, helmet + CORS)')?.target.compare?.with,
      NO_HEADERS_LIST,
    )
    t.ok(named('lesson 20 GET /todos?limit=20 (JWT, no helmet)'))
    t.equal(
      named('lesson 25 POST /graphql (the same 20 to-dos, JWT)')?.target.compare?.with,
      JWT_LIST,
    )
    t.ok(named('lesson 25 GET / (the page, index.html)'))
    t.ok(named('lesson 26 GET /api/articles (capstone, 20 articles)'))
  },
)

t.test(
  'one name, one row: GraphQL’s REST twin is the JWT row when both are on one lesson',
  async (t) => {
    const a: BenchTarget = {
      name: 'lesson {lesson} list',
      server: 'lesson',
      lesson: '01',
      path: '/',
    }
    const b: BenchTarget = { ...a, lesson: '02' }
    const c: BenchTarget = {
      name: 'lesson {lesson} graphql',
      server: 'lesson',
      lesson: '02',
      path: '/',
    }
    const dir = t.testdir({ '01-a': {}, '02-b': {} })
    const two = [lesson(1, join(dir, '01-a')), lesson(2, join(dir, '02-b'))]
    t.same(
      resolveTargets([a, b, c], two).map((each) => each.name),
      ['lesson 01 list', 'lesson 02 list', 'lesson 02 graphql'],
    )
    // On one lesson, the second `list` is the first one again: measured once.
    const same = resolveTargets([a, { ...b, lesson: '01' }, { ...c, lesson: '01' }], two)
    t.same(
      same.map((each) => [each.name, each.target]),
      [
        ['lesson 01 list', a],
        ['lesson 01 graphql', { ...c, lesson: '01' }],
      ],
    )
    t.equal(same[0]?.lesson, '01')
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

    // Each server's SQL, counted in its own process: one query per to-do, the same one (the
    // lesson may quote its names or not).
    for (const server of [raw, app]) {
      const count = await countQueries(server.child, async () => {
        await get(server.port, `/todos/${id}`)
        await get(server.port, `/todos/${id}`)
      })
      t.equal(count.queries, 2)
      const unquoted = (sql: string) => sql.replaceAll('"', '')
      t.same(count.sql.map(unquoted), [unquoted(RAW_SQL.one)])
    }
  },
)

const capstone = chooseLesson(CAPSTONE, lessons)

t.test(
  'the capstone’s raw pg twin sends its SQL word for word, and answers the same articles',
  { skip: typeof capstone === 'string' ? capstone : false },
  async (t) => {
    const lessonDir = (capstone as Lesson).dir
    const postgres = await startBenchPostgres(() => {})
    t.teardown(() => postgres.close())
    const database = await postgres.prepare(lessonDir)
    t.same(database.todoIds, [], 'no to-dos: the capstone has no such table')
    const context = { todoIds: [], databaseUrl: database.url, lessonDir }
    await seedArticles('', context)
    await seedArticles('', context) // the second target's setup: nothing more

    const options = { lessonDir, databaseUrl: database.url }
    const [raw, app] = await Promise.all([
      startBenchServer('raw-pg', { ...options, raw: 'articles' }),
      startBenchServer('lesson', {
        ...options,
        jwtSecret: 'a-secret-for-the-bench-test-0123456789',
      }),
    ])
    t.teardown(() => Promise.all([stopBenchServer(raw.child), stopBenchServer(app.child)]))
    const get = async (port: number) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/articles`)
      return { status: response.status, body: (await response.json()) as unknown }
    }

    const fromApp = await get(app.port)
    t.equal(fromApp.status, 200)
    const { articles, articlesCount } = fromApp.body as {
      articles: { tagList: string[]; favoritesCount: number; author: { username: string } }[]
      articlesCount: number
    }
    t.equal(articlesCount, SEEDED_ARTICLES, 'made once, however many setups ran')
    t.equal(articles.length, 20)
    t.ok(
      articles.every((article) => article.tagList.length > 0),
      'every article has tags',
    )
    t.ok(new Set(articles.map((article) => article.favoritesCount)).size > 1, 'favourite counts')
    t.equal(new Set(articles.map((article) => article.author.username)).size, 5, 'five authors')
    t.same(await get(raw.port), fromApp, 'the raw pg twin answers the same')

    // Both send the same two queries per request; the raw SQL is the capstone's, word for word.
    const words = (sql: string) => sql.replace(/\s+/g, ' ')
    const counted = await Promise.all(
      [app, raw].map((server) =>
        countQueries(server.child, async () => {
          await get(server.port)
        }),
      ),
    )
    for (const count of counted) {
      t.equal(count.queries, 2)
      t.same(count.sql.map(words).sort(), [ARTICLE_SQL.page, ARTICLE_SQL.count].sort())
    }
  },
)
