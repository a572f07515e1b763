import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Lesson } from '../lessons.js'

/**
 * What `pnpm bench` measures, one entry per row of its table. This list is the place to add a
 * target; bench.ts runs whatever is here, in this order, with the same settings.
 */
export interface BenchTarget {
  /** The row's name in the table. `{lesson}` becomes the lesson's number ('05'). */
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
   * Which lesson: a number ('04'), or the newest lesson that matches (see LessonChoice).
   * A missing lesson is skipped, with a note. 'raw-pg' servers use it too: its database
   * (with that lesson's schema) and its copy of the `pg` driver.
   */
  lesson?: string | LessonChoice
  /** The target needs the bench database: a Postgres with the lesson's schema and seeded to-dos. */
  database?: boolean
  /** The name of the raw-pg row to compare this one with (the "vs raw pg" column). */
  twin?: string
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

/** "The newest lesson whose package.json description or README matches `mentions`". */
export interface LessonChoice {
  mentions: RegExp
  /**
   * The lesson's src must contain this too, so a README saying "pagination comes next" does not
   * count: only a lesson that has the feature does.
   */
  sourceHas?: RegExp
  /** Why the row is skipped when no lesson matches. */
  missing: string
  /** Use this lesson ('05') instead of skipping when none matches. */
  otherwise?: string
}

export interface SetupContext {
  /** The ids of the to-dos seeded into the bench database (empty without a database). */
  todoIds: number[]
}

export interface SetupResult {
  headers?: Record<string, string>
  path?: string
  /** Called for every request: its path. Wins over `path`. */
  nextPath?: () => string
}

/** Create a few to-dos so a list route sends a realistic body instead of `[]`. */
async function seedTodos(baseUrl: string): Promise<undefined> {
  for (let i = 1; i <= 10; i++) {
    const res = await fetch(`${baseUrl}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `To-do number ${i}` }),
    })
    if (!res.ok) throw new Error(`POST /todos answered ${res.status}: ${await res.text()}`)
  }
  return undefined
}

/** Every request asks for the next seeded to-do, round and round: no single hot row. */
export async function cycleTodoIds(
  _baseUrl: string,
  { todoIds }: SetupContext,
): Promise<SetupResult> {
  if (todoIds.length === 0) throw new Error('the bench database has no to-dos')
  let next = 0
  return {
    nextPath: () => {
      const id = todoIds[next % todoIds.length]
      next++
      return `/todos/${id}`
    },
  }
}

/** Lesson 07 brings `GET /todos?limit=`; lessons 05 and 06 list every to-do. */
export const PAGINATION: LessonChoice = {
  mentions: /paginat/i,
  sourceHas: /\blimit\b/,
  missing: 'no lesson with ?limit yet (lesson 07)',
}

export const RAW_ONE = 'raw pg: select one to-do by id'
export const RAW_LIST = 'raw pg: list 20'

export const targets: BenchTarget[] = [
  { name: 'node:http hello world', server: 'node-http', path: '/health' },
  { name: 'lesson 01 GET /health', server: 'lesson', lesson: '01', path: '/health' },
  { name: 'lesson 04 GET /health', server: 'lesson', lesson: '04', path: '/health' },
  {
    name: 'lesson 04 GET /todos (10 to-dos)',
    server: 'lesson',
    lesson: '04',
    path: '/todos',
    setup: seedTodos,
  },

  // Lesson 05+: the same query by hand (node:http + pg) and through the lesson (Fastify +
  // Kysely), on one Postgres, one database per lesson with the same seeded to-dos.
  {
    name: RAW_ONE,
    server: 'raw-pg',
    lesson: '05',
    database: true,
    path: '/todos/1',
    setup: cycleTodoIds,
  },
  {
    name: 'lesson {lesson} GET /todos/:id',
    server: 'lesson',
    lesson: '05',
    database: true,
    twin: RAW_ONE,
    path: '/todos/1',
    setup: cycleTodoIds,
  },
  {
    name: RAW_LIST,
    server: 'raw-pg',
    // Its twin's lesson, so both query the same database; lesson 05's until one has ?limit.
    lesson: { ...PAGINATION, otherwise: '05' },
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

  // Still to come, once its lesson exists:
  // - a JWT-protected GET /todos: `setup` signs up and logs in, then returns
  //   `{ headers: { authorization: 'Bearer <token>' } }`.
]

/** A target ready to run: its lesson found and its name filled in, or why it is skipped. */
export type ResolvedTarget =
  | { target: BenchTarget; name: string; lessonDir?: string; skipped?: undefined }
  | { target: BenchTarget; name: string; skipped: string }

/** Find each target's lesson among `lessons` (those of findLessons). */
export function resolveTarget(target: BenchTarget, lessons: Lesson[]): ResolvedTarget {
  const choice = target.lesson
  if (choice === undefined) return { target, name: target.name }
  const numbered = (wanted: string) => lessons.find((each) => each.number === Number(wanted))
  const lesson =
    typeof choice === 'string'
      ? numbered(choice)
      : (lessons.findLast((each) => matches(each, choice)) ??
        (choice.otherwise === undefined ? undefined : numbered(choice.otherwise)))
  const missing = typeof choice === 'string' ? `there is no lesson ${choice} yet` : choice.missing
  const name = target.name.replaceAll(
    '{lesson}',
    lesson ? String(lesson.number).padStart(2, '0') : typeof choice === 'string' ? choice : 'NN',
  )
  if (!lesson) return { target, name, skipped: missing }
  return { target, name, lessonDir: lesson.dir }
}

function matches(lesson: Lesson, choice: LessonChoice): boolean {
  const readme = readText(join(lesson.dir, 'README.md'))
  if (!choice.mentions.test(lesson.title) && !choice.mentions.test(readme)) return false
  return !choice.sourceHas || sourceContains(join(lesson.dir, 'src'), choice.sourceHas)
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
