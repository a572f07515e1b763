import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startServer, stopServer } from '../src/bench/child.js'
import { SEEDED_TODOS, schemaFunction, startBenchPostgres } from '../src/bench/database.js'
import { markdownTable, type Row, ratio, ratios, textTable } from '../src/bench/report.js'
import {
  type BenchTarget,
  cycleTodoIds,
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

  const one = byName.get(RAW_ONE)
  t.ok(one && one.skipped === undefined && one.lessonDir?.endsWith('05-postgres-kysely'))
  const lessonOne = byName.get('lesson {lesson} GET /todos/:id')
  t.equal(lessonOne?.name, 'lesson 05 GET /todos/:id')
  t.equal(lessonOne?.target.twin, RAW_ONE)
  t.equal(byName.get('lesson {lesson} GET /todos?limit=20')?.target.twin, RAW_LIST)

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
    '05-db': { 'README.md': '# Postgres\n', src: { 'app.ts': 'list()\n' } },
    '06-migrations': {
      'README.md': '# Migrations\n\nNext lesson: pagination.\n',
      src: { 'app.ts': 'list()\n' },
    },
    '07-pagination': { src: { todos: { 'routes.ts': 'const limit = 20\n' } } },
    '08-auth': { 'README.md': '# Auth\n', src: { 'app.ts': 'const limit = 20\n' } },
  })
  const list: BenchTarget = {
    name: 'lesson {lesson} GET /todos?limit=20',
    server: 'lesson',
    lesson: PAGINATION,
    path: '/todos?limit=20',
  }
  const upTo6 = [lesson(5, join(dir, '05-db')), lesson(6, join(dir, '06-migrations'))]
  // 06's README mentions pagination, but its code has no limit: it does not count.
  t.same(resolveTarget(list, upTo6), {
    target: list,
    name: 'lesson NN GET /todos?limit=20',
    skipped: 'no lesson with ?limit yet (lesson 07)',
  })

  const upTo8 = [
    ...upTo6,
    lesson(7, join(dir, '07-pagination'), 'Pagination and filtering'),
    lesson(8, join(dir, '08-auth')),
  ]
  const found = resolveTarget(list, upTo8)
  t.equal(found.name, 'lesson 07 GET /todos?limit=20')
  t.equal(found.skipped, undefined)
  t.equal(lessonDirOf(found), join(dir, '07-pagination'))

  const raw: BenchTarget = { ...list, server: 'raw-pg', lesson: { ...PAGINATION, otherwise: '05' } }
  // Its raw pg twin follows it, falling back to lesson 05 instead of being skipped.
  t.equal(lessonDirOf(resolveTarget(raw, upTo6)), join(dir, '05-db'))
  t.equal(lessonDirOf(resolveTarget(raw, upTo8)), join(dir, '07-pagination'))

  const fixed = resolveTarget(
    { name: 'lesson {lesson} x', server: 'lesson', lesson: '09', path: '/' },
    upTo8,
  )
  t.same([fixed.name, fixed.skipped], ['lesson 09 x', 'there is no lesson 09 yet'])
})

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
    { vsBaseline: 1, vsTwin: undefined },
    { vsBaseline: 0.2, vsTwin: undefined },
    { vsBaseline: 0.08, vsTwin: 0.4 },
    { vsBaseline: 0.05, vsTwin: undefined },
    { vsBaseline: undefined, vsTwin: undefined },
    { vsBaseline: 0.025, vsTwin: undefined },
  ])
  t.equal(ratio(rows[1] as Row, { name: 'zero', baseline: true, requestsPerSecond: 0 }), undefined)

  const text = textTable(rows)
  t.match(text, /lesson one\s+3,200\s+—\s+0\.08×\s+0\.40× \(below 0\.5×\)/)
  t.match(text, /lesson list\s+\(skipped: no lesson\)/)
  const markdown = markdownTable(rows)
  t.match(markdown, '| target | req/s | p99 latency (ms) | vs node:http | vs raw pg |')
  t.match(markdown, '| lesson one | 3,200 | — | 0.08× | 0.40× (below 0.5×) |')
  t.notMatch(markdown, 'lesson list')
})

const lesson05 = lessons.find((each) => each.number === 5)?.dir
const needs05 = { skip: lesson05 ? false : 'lesson 05 is not there' }

t.test('the raw pg server answers like the lesson, from the bench database', needs05, async (t) => {
  const lessonDir = lesson05 as string
  // A throwaway embedded Postgres (or DATABASE_URL's server), as `pnpm bench` uses.
  const postgres = await startBenchPostgres(() => {})
  t.teardown(() => postgres.close())
  const database = await postgres.prepare(lessonDir)
  t.equal(database.todoIds.length, SEEDED_TODOS)

  const options = { lessonDir, databaseUrl: database.url }
  const [raw, app] = await Promise.all([
    startServer('raw-pg', options),
    startServer('lesson', options),
  ])
  t.teardown(() => Promise.all([stopServer(raw.child), stopServer(app.child)]))
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
})
