import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Lesson, lessonNumber } from '../lessons.js'
import { logInForTodos } from './auth.js'
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
   */
  server: ServerKind
  /**
   * Which lesson: a number ('01'), or the newest lesson that matches (see LessonChoice).
   * A missing lesson is skipped, with a note. 'raw-pg' servers use it too: its database
   * (with that lesson's schema) and its copy of the `pg` driver.
   */
  lesson?: string | LessonChoice
  /** The target needs the bench database: a Postgres with the lesson's schema and seeded to-dos. */
  database?: boolean
  /** The name of the raw-pg row to compare this one with (the "vs raw pg" column). */
  twin?: string
  /**
   * The name (as written here, `{lesson}` and all) of the row without log-in to compare this
   * one with: the "vs no auth" column.
   */
  noAuthTwin?: string
  /** The app signs log-in tokens: its `buildApp()` gets a `jwtSecret` (servers.ts). */
  jwt?: boolean
  method?: 'GET' | 'POST'
  path: string
  /** Environment for the server process (JWT_SECRET …). */
  env?: Record<string, string>
  /**
   * Runs after the server listens, before the warm-up: create data, sign up and log in. May
   * return headers for every request (such as `authorization: Bearer …`), a path to use
   * instead (such as `/todos/<the id just created>`) or a function giving each request's path.
   */
  setup?: (baseUrl: string, context: SetupContext) => Promise<SetupResult | undefined>
}

export type ServerKind = 'node-http' | 'lesson' | 'raw-pg'

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
  /** This path inside the lesson folder exists ('src/auth'). */
  has?: string
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

/** The newest lesson whose GET /todos takes `?limit=` (lesson 10 brings it; 07 to 09 list all). */
export const PAGINATION: LessonChoice = {
  mentions: /paginat/i,
  sourceHas: /\blimit\b/,
  missing: 'no lesson with ?limit yet (lesson 10)',
}

/** The newest lesson with log-in: JWTs checked by src/auth (lesson 15 on). */
export const AUTH: LessonChoice = {
  has: 'src/auth',
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
  before: AUTH,
  missing: 'no lesson with ?limit and without /auth routes before the JWT lesson',
}

export const RAW_ONE = 'raw pg: select one to-do by id'
export const RAW_LIST = 'raw pg: list 20'
export const NO_AUTH_LIST = 'lesson {lesson} GET /todos?limit=20 (no auth)'

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
    twin: RAW_ONE,
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
    twin: RAW_LIST,
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
    name: 'lesson {lesson} GET /todos?limit=20 (JWT)',
    server: 'lesson',
    lesson: AUTH,
    database: true,
    jwt: true,
    noAuthTwin: NO_AUTH_LIST,
    path: '/todos?limit=20',
    // Sign up and log in through the API; every request sends `Authorization: Bearer <token>`.
    setup: logInForTodos,
  },
]

/** A target ready to run: its lesson found and its name filled in, or why it is skipped. */
export type ResolvedTarget =
  | { target: BenchTarget; name: string; lessonDir?: string; skipped?: undefined }
  | { target: BenchTarget; name: string; skipped: string }

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
  return { target, name, lessonDir: lesson.dir }
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
  if (choice.has !== undefined && !existsSync(join(lesson.dir, choice.has))) return false
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
