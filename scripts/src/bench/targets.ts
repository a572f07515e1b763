/**
 * What `pnpm bench` measures, one entry per row of its table. This list is the place to add a
 * target; bench.ts runs whatever is here, in this order, with the same settings.
 */
export interface BenchTarget {
  /** The row's name in the table. */
  name: string
  /**
   * Which server answers, started in its own process:
   *   'lesson'    the lesson's `buildApp()` from its src/app.ts, listening on a free port
   *   'node-http' a bare `node:http` hello world: the baseline every ratio is measured against
   * New kinds (a raw `pg` loop, a lesson app given a database) go in servers.ts.
   */
  server: ServerKind
  /** The lesson number ('04') for 'lesson' servers. A missing lesson is skipped, with a note. */
  lesson?: string
  method?: 'GET' | 'POST'
  path: string
  /** Environment for the server process (DATABASE_URL, JWT_SECRET …). */
  env?: Record<string, string>
  /**
   * Runs after the server listens, before the warm-up: create data, sign up and log in. May
   * return headers for every request (such as `authorization: Bearer …`) or a path to use
   * instead (such as `/todos/<the id just created>`).
   */
  setup?: (baseUrl: string) => Promise<SetupResult | undefined>
}

export type ServerKind = 'node-http' | 'lesson'

export interface SetupResult {
  headers?: Record<string, string>
  path?: string
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

  // Still to come, once their lessons exist (see servers.ts for the server side):
  // - lesson 05+ GET /todos/:id, next to a raw `pg` query loop on node:http: a new ServerKind
  //   'raw-pg', and for the lesson a kind that gives buildApp a database from DATABASE_URL;
  //   `env: { DATABASE_URL }` points both at one database, `setup` creates the to-do and
  //   returns `{ path: '/todos/<id>' }`.
  // - a JWT-protected GET /todos: `setup` signs up and logs in, then returns
  //   `{ headers: { authorization: 'Bearer <token>' } }`.
]
