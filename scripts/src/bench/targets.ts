import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Lesson, lessonNumber } from '../lessons.js'
import { seedArticles } from './articles.js'
import { GRAPHQL_TODOS, logInForGraphql, logInForTodos } from './auth.js'
import type { RawRoutesName } from './raw-routes.js'
import { AUTH_TARGET, type Comparison, HEADERS_TARGET, RAW_PG_TARGET } from './report.js'
import { cycleTodoIds, type SetupContext, type SetupResult, seedTodos } from './setup.js'

export type { SetupContext, SetupResult }

/**
 * What `pnpm bench` measures, one entry per row of its table. This list is the place to add a
 * target; bench.ts runs whatever is here, in this order, with the same settings.
 */
export interface BenchTarget {
  /** The row's name in the table. `{lesson}` becomes the lesson's number ('07'). */
  name: string
  /**
   * Which server answers, started in its own process (see servers.ts):
   *   'lesson'    the lesson's `buildApp()` from its src/app.ts, listening on a free port
   *               (given `{ databaseUrl }` when the target has `database: true`)
   *   'node-http' a bare `node:http` hello world: the baseline every ratio is measured against
   *   'raw-pg'    node:http and a `pg.Pool` running the lesson's SQL by hand: what the
   *               database part of a lesson's answer costs without Fastify and Kysely
   *               (its routes and SQL: `raw`)
   */
  server: ServerKind
  /**
   * Which lesson: a number ('01'), or the newest lesson that matches (see LessonChoice).
   * A missing lesson is skipped, with a note. 'raw-pg' servers use it too: its database
   * (with that lesson's schema) and its copy of the `pg` driver.
   */
  lesson?: string | LessonChoice
  /**
   * The target needs the bench database: a Postgres with the lesson's schema (and seeded
   * to-dos where it has a `todos` table). Its table row says how many SQL queries a request sends.
   */
  database?: boolean
  /** For 'raw-pg' servers: which routes and SQL (raw-routes.ts); 'todos' when left out. */
  raw?: RawRoutesName
  /**
   * The row to compare this one with, side by side: the "compared with" and "ratio" columns.
   * Its `with` names a target of this list as written here, `{lesson}` and all.
   */
  compare?: Comparison
  /** The app signs log-in tokens: its `buildApp()` gets a `jwtSecret` (servers.ts). */
  jwt?: boolean
  method?: 'GET' | 'POST'
  path: string
  /** The body every request sends (a POST's), and its content type. */
  body?: string
  contentType?: string
  /** Environment for the server process (JWT_SECRET …). */
  env?: Record<string, string>
  /**
   * Runs after the server listens, before the warm-up: create data, sign up and log in. May
   * return headers for every request (such as `authorization: Bearer …`), a path to use
   * instead (such as `/todos/<the id just created>`) or a function giving each request's path.
   */
  setup?: (baseUrl: string, context: SetupContext) => Promise<SetupResult | undefined>
}

export type ServerKind = 'node-http' | 'lesson' | 'raw-pg' | 'stack'

/**
 * "The newest lesson that …": every condition given must hold. For example, the newest lesson
 * whose package.json description or README matches `mentions` and whose code has `sourceHas`.
 */
export interface LessonChoice {
  /** Its package.json description or README matches this. */
  mentions?: RegExp
  /**
   * The lesson's src must contain this too, so a README saying "pagination comes next" does not
   * count: only a lesson that has the feature does.
   */
  sourceHas?: RegExp
  /** No file of the lesson's src may contain this. */
  sourceLacks?: RegExp
  /** This path inside the lesson folder exists ('src/auth'), or every one of these paths. */
  has?: string | string[]
  /** Its package.json has this script ('conformance': the capstone). */
  script?: string
  /**
   * Only lessons older than the one this other choice picks: "the newest lesson before the
   * JWT one". When that choice finds no lesson, neither does this one (with its reason).
   */
  before?: LessonChoice
  /** Why the row is skipped when no lesson matches. */
  missing: string
  /** Use this lesson ('07') instead of skipping when none matches. */
  otherwise?: string
  /** The oldest lesson that matches instead of the newest: "the first lesson with …". */
  first?: boolean
}

/** A lesson's app takes a database (`buildApp({ databaseUrl })`): lesson 07 on. */
const DATABASE_SOURCE = /\bdatabaseUrl\b/

/** The newest lesson without a database: the whole HTTP app in memory (lesson 06). */
export const IN_MEMORY: LessonChoice = {
  sourceLacks: DATABASE_SOURCE,
  missing: 'no lesson yet',
}

/** The first lesson on PostgreSQL (lesson 07, plain SQL through `pg`). */
export const FIRST_DATABASE: LessonChoice = {
  sourceHas: DATABASE_SOURCE,
  first: true,
  missing: 'no lesson with a database yet (lesson 07)',
}

/**
 * The to-do app's routes live in src/todos. The capstone is another API (no to-dos): this keeps
 * the to-do rows on the to-do lessons, however many lessons come before or after it.
 */
const TODOS = 'src/todos'

/** The newest lesson whose GET /todos takes `?limit=` (lesson 10 brings it; 07 to 09 list all). */
export const PAGINATION: LessonChoice = {
  mentions: /paginat/i,
  sourceHas: /\blimit\b/,
  has: TODOS,
  missing: 'no lesson with ?limit yet (lesson 10)',
}

/** The newest lesson with log-in: JWTs checked by src/auth (lesson 15 on). */
export const AUTH: LessonChoice = {
  has: ['src/auth', TODOS],
  // Lesson 14's src/auth has sign-up only: no tokens to send yet.
  sourceHas: /@fastify\/jwt/,
  missing: 'no lesson with src/auth (JWT log-in) yet (lesson 15)',
}

/** A route under /auth/ (sign-up, log-in): the lessons from 14 on have one. */
export const AUTH_ROUTE = /['"`]\/auth\//

/**
 * The JWT row's twin: the newest lesson before it with no auth at all (no /auth/ route, so not
 * lesson 14 with its sign-up either) whose GET /todos takes ?limit. Same route, no token.
 */
export const NO_AUTH: LessonChoice = {
  sourceHas: /\blimit\b/,
  sourceLacks: AUTH_ROUTE,
  has: TODOS,
  before: AUTH,
  missing: 'no lesson with ?limit and without /auth routes before the JWT lesson',
}

/**
 * The lesson that brings security headers (helmet in src/security.ts) and CORS: lesson 21. The
 * first one, not the newest, so the lesson before it differs by that concept alone.
 */
export const HEADERS: LessonChoice = {
  has: ['src/security.ts', 'src/auth', TODOS],
  first: true,
  missing: 'no lesson with src/security.ts (helmet) yet (lesson 21)',
}

/** The same route the lesson before helmet: the newest lesson with log-in before HEADERS'. */
export const NO_HEADERS: LessonChoice = {
  ...AUTH,
  before: HEADERS,
  missing: 'no lesson with log-in before the one with helmet',
}

/** The newest lesson that serves the web page (public/index.html: lesson 22 on). */
export const PAGE: LessonChoice = {
  has: 'public/index.html',
  missing: 'no lesson serving a page (public/index.html) yet (lesson 22)',
}

/** The newest lesson with GraphQL (src/graphql: lesson 25 on). */
export const GRAPHQL: LessonChoice = {
  has: ['src/graphql', 'src/auth', TODOS],
  missing: 'no lesson with src/graphql yet (lesson 25)',
}

/** The capstone: the lesson checked against an outside contract (its `conformance` script). */
export const CAPSTONE: LessonChoice = {
  script: 'conformance',
  missing: 'no capstone yet (a lesson with a `conformance` script: lesson 26)',
}

/** The newest lesson whose whole stack, NGINX in front of two instances, starts as one (27 on). */
export const STACK: LessonChoice = {
  has: ['src/stack.ts', 'src/auth', TODOS],
  missing: 'no lesson with src/stack.ts (NGINX and two instances) yet (lesson 27)',
}

export const RAW_ONE = 'raw pg: select one to-do by id'
export const RAW_LIST = 'raw pg: list 20'
export const NO_AUTH_LIST = 'lesson {lesson} GET /todos?limit=20 (no auth)'
export const JWT_LIST = 'lesson {lesson} GET /todos?limit=20 (JWT)'
export const NO_HEADERS_LIST = 'lesson {lesson} GET /todos?limit=20 (JWT, no helmet)'
export const RAW_ARTICLES = 'raw pg: the capstone’s article list'
export const CAPSTONE_ARTICLES = 'lesson {lesson} GET /api/articles (capstone, 20 articles)'

export const targets: BenchTarget[] = [
  { name: 'node:http hello world', server: 'node-http', path: '/health' },
  { name: 'lesson 01 GET /health', server: 'lesson', lesson: '01', path: '/health' },
  // The whole HTTP app before the database: validation, the error handler, request ids, logs.
  { name: 'lesson {lesson} GET /health', server: 'lesson', lesson: IN_MEMORY, path: '/health' },
  {
    name: 'lesson {lesson} GET /todos (10 to-dos)',
    server: 'lesson',
    lesson: IN_MEMORY,
    path: '/todos',
    setup: seedTodos,
  },

  // Lesson 07+: the same query by hand (node:http + pg) and through the lesson (Fastify and
  // its SQL), on one Postgres, one database per lesson with the same seeded to-dos.
  {
    name: RAW_ONE,
    server: 'raw-pg',
    lesson: FIRST_DATABASE,
    database: true,
    path: '/todos/1',
    setup: cycleTodoIds,
  },
  {
    name: 'lesson {lesson} GET /todos/:id',
    server: 'lesson',
    lesson: FIRST_DATABASE,
    database: true,
    compare: { with: RAW_ONE, as: 'raw pg', goal: RAW_PG_TARGET },
    path: '/todos/1',
    setup: cycleTodoIds,
  },
  {
    name: RAW_LIST,
    server: 'raw-pg',
    // Its twin's lesson, so both query the same database; lesson 07's until one has ?limit.
    lesson: { ...PAGINATION, otherwise: '07' },
    database: true,
    path: '/todos?limit=20',
  },
  {
    name: 'lesson {lesson} GET /todos?limit=20',
    server: 'lesson',
    lesson: PAGINATION,
    database: true,
    compare: { with: RAW_LIST, as: 'raw pg', goal: RAW_PG_TARGET },
    path: '/todos?limit=20',
  },

  // The same list with and without log-in: what checking a JWT (and loading its user) costs.
  // Both databases are made by the lesson's own migrations and hold the same seeded to-dos.
  {
    name: NO_AUTH_LIST,
    server: 'lesson',
    lesson: NO_AUTH,
    database: true,
    path: '/todos?limit=20',
  },
  {
    name: JWT_LIST,
    server: 'lesson',
    lesson: AUTH,
    database: true,
    jwt: true,
    compare: { with: NO_AUTH_LIST, as: 'no auth', goal: AUTH_TARGET },
    path: '/todos?limit=20',
    // Sign up and log in through the API; every request sends `Authorization: Bearer <token>`.
    setup: logInForTodos,
  },

  // The same signed-in list before and after security headers and CORS (lesson 21).
  {
    name: NO_HEADERS_LIST,
    server: 'lesson',
    lesson: NO_HEADERS,
    database: true,
    jwt: true,
    path: '/todos?limit=20',
    setup: logInForTodos,
  },
  {
    name: 'lesson {lesson} GET /todos?limit=20 (JWT, helmet + CORS)',
    server: 'lesson',
    lesson: HEADERS,
    database: true,
    jwt: true,
    compare: { with: NO_HEADERS_LIST, as: 'no helmet', goal: HEADERS_TARGET },
    path: '/todos?limit=20',
    setup: logInForTodos,
  },

  // The same 20 to-dos of the same user through GraphQL and through REST, on one lesson. The
  // REST row is the JWT row above when that is the same lesson (one name, one row: bench.ts).
  {
    name: JWT_LIST,
    server: 'lesson',
    lesson: GRAPHQL,
    database: true,
    jwt: true,
    path: '/todos?limit=20',
    setup: logInForTodos,
  },
  {
    name: 'lesson {lesson} POST /graphql (the same 20 to-dos, JWT)',
    server: 'lesson',
    lesson: GRAPHQL,
    database: true,
    jwt: true,
    compare: { with: JWT_LIST, as: 'REST' },
    method: 'POST',
    path: '/graphql',
    body: JSON.stringify({ query: GRAPHQL_TODOS }),
    contentType: 'application/json',
    setup: logInForGraphql,
  },

  // The same signed-in list from one instance directly, and through NGINX from two instances
  // (src/stack.ts). One machine runs both instances, NGINX, Postgres, Redis and autocannon: what
  // NGINX costs a request, not what a second machine would add. The one-instance row is the
  // JWT row above when that is the same lesson.
  {
    name: JWT_LIST,
    server: 'lesson',
    lesson: STACK,
    database: true,
    jwt: true,
    path: '/todos?limit=20',
    setup: logInForTodos,
  },
  {
    name: 'lesson {lesson} GET /todos?limit=20 (JWT, NGINX + 2 instances)',
    server: 'stack',
    lesson: STACK,
    database: true,
    jwt: true,
    compare: { with: JWT_LIST, as: 'one instance' },
    path: '/todos?limit=20',
    setup: logInForTodos,
  },

  // The web page (lesson 22): static files, with the security headers on every answer.
  {
    name: 'lesson {lesson} GET / (the page, index.html)',
    server: 'lesson',
    lesson: PAGE,
    database: true,
    jwt: true,
    path: '/',
  },
  {
    name: 'lesson {lesson} GET /app.js',
    server: 'lesson',
    lesson: PAGE,
    database: true,
    jwt: true,
    path: '/app.js',
  },

  // The capstone's article list (a visitor's: no token) against the same two queries by hand,
  // on one database made by its migrations and seeded through its stores.
  {
    name: RAW_ARTICLES,
    server: 'raw-pg',
    raw: 'articles',
    lesson: CAPSTONE,
    database: true,
    path: '/api/articles',
    setup: seedArticles,
  },
  {
    name: CAPSTONE_ARTICLES,
    server: 'lesson',
    lesson: CAPSTONE,
    database: true,
    jwt: true,
    compare: { with: RAW_ARTICLES, as: 'raw pg', goal: RAW_PG_TARGET },
    path: '/api/articles',
    setup: seedArticles,
  },
]

/**
 * A target ready to run: its lesson found (`lesson` is its number, '07') and its name filled
 * in, or why it is skipped.
 */
export type ResolvedTarget =
  | { target: BenchTarget; name: string; lesson?: string; lessonDir?: string; skipped?: undefined }
  | { target: BenchTarget; name: string; lesson?: undefined; skipped: string }

/** Find each target's lesson among `lessons` (those of findLessons). */
export function resolveTarget(target: BenchTarget, lessons: Lesson[]): ResolvedTarget {
  const choice = target.lesson
  if (choice === undefined) return { target, name: target.name }
  const lesson = chooseLesson(choice, lessons)
  const name = target.name.replaceAll(
    '{lesson}',
    typeof lesson !== 'string' ? lessonNumber(lesson) : typeof choice === 'string' ? choice : 'NN',
  )
  if (typeof lesson === 'string') return { target, name, skipped: lesson }
  return { target, name, lesson: lessonNumber(lesson), lessonDir: lesson.dir }
}

/**
 * Every target of `list` resolved, in order. One name, one row: a target whose name comes out
 * the same as an earlier one's (GraphQL's REST twin when the JWT row is on the same lesson)
 * is the same measurement, so only the first is kept (skipped or not).
 */
export function resolveTargets(list: BenchTarget[], lessons: Lesson[]): ResolvedTarget[] {
  const seen = new Set<string>()
  return list
    .map((target) => resolveTarget(target, lessons))
    .filter((each) => {
      if (seen.has(each.name)) return false
      seen.add(each.name)
      return true
    })
}

/** With --only: the rows whose name has the text (any case), and the rows they compare with. */
export function onlyThese(rows: ResolvedTarget[], text: string | undefined): ResolvedTarget[] {
  if (text === undefined) return rows
  const wanted = rows.filter((row) => row.name.toLowerCase().includes(text.toLowerCase()))
  const twins = new Set(wanted.map((row) => row.target.compare?.with))
  return rows.filter((row) => wanted.includes(row) || twins.has(row.target.name))
}

/** The lesson a target asks for, or why there is none. */
export function chooseLesson(choice: string | LessonChoice, lessons: Lesson[]): Lesson | string {
  const numbered = (wanted: string) => lessons.find((each) => each.number === Number(wanted))
  if (typeof choice === 'string') return numbered(choice) ?? `there is no lesson ${choice} yet`
  let candidates = lessons
  if (choice.before) {
    const limit = chooseLesson(choice.before, lessons)
    if (typeof limit === 'string') return limit
    candidates = lessons.filter((each) => each.number < limit.number)
  }
  const pick = (each: Lesson) => matches(each, choice)
  return (
    (choice.first ? candidates.find(pick) : candidates.findLast(pick)) ??
    (choice.otherwise === undefined ? undefined : numbered(choice.otherwise)) ??
    choice.missing
  )
}

function matches(lesson: Lesson, choice: LessonChoice): boolean {
  const paths = choice.has === undefined ? [] : [choice.has].flat()
  if (!paths.every((path) => existsSync(join(lesson.dir, path)))) return false
  if (choice.script !== undefined && lesson.scripts[choice.script] === undefined) return false
  if (choice.mentions) {
    const readme = readText(join(lesson.dir, 'README.md'))
    if (!choice.mentions.test(lesson.title) && !choice.mentions.test(readme)) return false
  }
  const src = join(lesson.dir, 'src')
  if (choice.sourceHas && !sourceContains(src, choice.sourceHas)) return false
  return !choice.sourceLacks || !sourceContains(src, choice.sourceLacks)
}

function sourceContains(dir: string, pattern: RegExp): boolean {
  if (!existsSync(dir)) return false
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.[cm]?[jt]s$/.test(entry.name)) continue
    if (pattern.test(readText(join(entry.parentPath, entry.name)))) return true
  }
  return false
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
