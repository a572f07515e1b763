import type { StartupTimes } from './database.js'
import { LOGINS_PER_USER, type LoginCost, type Timing } from './login-cost.js'

/**
 * A row measured against another row of the same run: the "compared with" and "ratio" columns.
 * Every comparison of the table is one of these (a lesson and its raw pg twin, JWT and no auth …).
 */
export interface Comparison {
  /** The other row, by its name as written in targets.ts (`{lesson}` and all). */
  with: string
  /** What the "compared with" column calls the other row: 'raw pg', 'no auth'. */
  as: string
  /** The goal for the ratio; a ratio below it says so. */
  goal?: number
}

/** One row of the results table. */
export interface Row {
  name: string
  /** The baseline: every other row's req/s is shown as a multiple of this one's. */
  baseline: boolean
  /** The target's name as written in targets.ts (`{lesson}` not filled in), to find rows by. */
  target?: string
  /** The lesson's number ('07'), when the row has one. */
  lesson?: string
  /** The row this one is compared with. */
  compare?: Comparison
  /** Set when the target was not measured, saying why. */
  skipped?: string
  requestsPerSecond?: number
  p99?: number
  /** Answers that were not 2xx, errors and timeouts: a fast 404 is not a result. */
  failures?: number
  /** How many SQL queries one request sends to Postgres (database rows only). */
  queries?: number
  /**
   * Its req/s as a multiple of the row it is compared with, when the two took turns (bench.ts):
   * the ratio of that pairing, which the two rows' own req/s (measured apart) need not give.
   */
  pairedRatio?: number
}

/** The goal: a lesson answers at least half as many requests as its raw pg twin. */
export const RAW_PG_TARGET = 0.5

/** The goal: checking a JWT keeps at least 0.8× the req/s of the same route without. */
export const AUTH_TARGET = 0.8

/** The goal: security headers and CORS keep at least 0.9× the req/s of the lesson before. */
export const HEADERS_TARGET = 0.9

/** `row`'s req/s as a multiple of `other`'s; undefined when either was not measured. */
export function ratio(row: Row, other: Row | undefined): number | undefined {
  if (row.skipped || !other || other.skipped) return undefined
  const mine = row.requestsPerSecond
  const theirs = other.requestsPerSecond
  if (mine === undefined || theirs === undefined || !(theirs > 0)) return undefined
  return mine / theirs
}

/**
 * The row `row` is compared with: the one with that name, as written in targets.ts or filled
 * in. Where several rows share that name in targets.ts, the one on `row`'s own lesson: REST
 * and GraphQL on one lesson.
 */
export function partner(row: Row, rows: Row[]): Row | undefined {
  const name = row.compare?.with
  if (name === undefined) return undefined
  const named = rows.filter(
    (other) => other !== row && (other.name === name || other.target === name),
  )
  return named.find((other) => other.lesson === row.lesson) ?? named[0]
}

/** The ratios of every row: to the node:http baseline, and to the row it is compared with. */
export function ratios(rows: Row[]): { vsBaseline?: number; vsPartner?: number }[] {
  const baseline = rows.find((row) => row.baseline)
  return rows.map((row) => ({
    vsBaseline: ratio(row, baseline),
    vsPartner: row.compare ? (row.pairedRatio ?? ratio(row, partner(row, rows))) : undefined,
  }))
}

function times(value: number | undefined, goal?: number): string {
  if (value === undefined) return '—'
  const text = `${value.toFixed(2)}×`
  return goal !== undefined && value < goal ? `${text} (below ${goal}×)` : text
}

const HEADINGS = ['target', 'req/s', 'p99 latency (ms)', 'vs node:http']
const QUERIES_HEADING = 'SQL per request'
const COMPARE_HEADINGS = ['compared with', 'ratio']

/** The SQL and comparison columns are there only when some row has them. */
function headings(rows: Row[]): string[] {
  return [
    ...HEADINGS,
    ...(rows.some((row) => row.queries !== undefined) ? [QUERIES_HEADING] : []),
    ...(rows.some((row) => row.compare) ? COMPARE_HEADINGS : []),
  ]
}

/** What the "compared with" column says: its label, and the other row's lesson if not this one's. */
function comparedWith(row: Row, rows: Row[]): string {
  if (!row.compare) return ''
  const other = partner(row, rows)
  const elsewhere = other?.lesson !== undefined && other.lesson !== row.lesson
  return elsewhere ? `${row.compare.as} (lesson ${other.lesson})` : row.compare.as
}

function queries(value: number | undefined): string {
  if (value === undefined) return ''
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

function columns(rows: Row[]): string[][] {
  const all = ratios(rows)
  const titles = headings(rows)
  const withQueries = titles.includes(QUERIES_HEADING)
  const withCompare = titles.includes(COMPARE_HEADINGS[0] as string)
  return rows.map((row, index) => {
    if (row.skipped || row.requestsPerSecond === undefined) {
      return [row.name, ...Array<string>(titles.length - 1).fill('')]
    }
    const { vsBaseline, vsPartner } = all[index] ?? {}
    return [
      row.name,
      Math.round(row.requestsPerSecond).toLocaleString('en-US'),
      String(row.p99 ?? '—'),
      times(vsBaseline),
      ...(withQueries ? [queries(row.queries)] : []),
      ...(withCompare
        ? [comparedWith(row, rows), row.compare ? times(vsPartner, row.compare.goal) : '']
        : []),
    ]
  })
}

/**
 * Columns padded to one width each: text to the left, numbers to the right. `left` is how many
 * columns at the start are text, or which columns are (by index).
 */
function pad(cells: string[][], left: number | number[] = 1): string[] {
  const isText = (i: number) => (typeof left === 'number' ? i < left : left.includes(i))
  const widths = (cells[0] ?? []).map((_, i) =>
    Math.max(...cells.map((line) => (line[i] ?? '').length)),
  )
  return cells.map((line) =>
    line
      .map((cell, i) => (isText(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}

/** Which columns hold text: the target's name, and what a row is compared with. */
function textColumns(titles: string[]): number[] {
  return [0, titles.indexOf(COMPARE_HEADINGS[0] as string)].filter((index) => index >= 0)
}

export function textTable(rows: Row[]): string {
  const body = columns(rows)
  const titles = headings(rows)
  const lines = pad([titles, ...body], textColumns(titles))
  const width = Math.max(...rows.map((row) => row.name.length))
  return lines
    .map((line, index) => {
      const row = rows[index - 1]
      return row?.skipped ? `${row.name.padEnd(width)}  (skipped: ${row.skipped})` : line
    })
    .join('\n')
}

export function markdownTable(rows: Row[]): string {
  const body = columns(rows)
  const titles = headings(rows)
  const text = textColumns(titles)
  const align = titles.map((_, i) => (text.includes(i) ? '---' : '---:'))
  const lines = [`| ${titles.join(' | ')} |`, `|${align.join('|')}|`]
  rows.forEach((row, index) => {
    if (!row.skipped) lines.push(`| ${(body[index] ?? []).join(' | ')} |`)
  })
  return lines.join('\n')
}

function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`
}

/** The embedded Postgres start-up table, or why there is none. */
export function startupTable(startup: StartupTimes | undefined, markdown: boolean): string {
  if (!startup) {
    return 'Embedded Postgres start-up: not timed (DATABASE_URL is set, so that server was used and nothing was started).'
  }
  const rows = [
    ['cold', 'initdb on an empty temporary folder, then the first start', ms(startup.cold)],
    ['warm', 'stop, then start again on the initialised folder', ms(startup.warm)],
  ]
  if (markdown) {
    return [
      '| embedded Postgres start-up | what | time |',
      '|---|---|---:|',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n')
  }
  return ['Embedded Postgres start-up:', ...pad(rows, 2).map((line) => `  ${line}`)].join('\n')
}

function milliseconds(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`
}

/** The cost of one log-in, or why it was not measured. */
export function loginTable(cost: LoginCost | string, markdown: boolean): string {
  if (typeof cost === 'string') return `Login cost: not measured (${cost}).`
  const parts: [string, string, Timing | undefined][] = [
    ['hashPassword', 'sign-up: scrypt on a new password, in the bench process', cost.hash],
    ['verifyPassword', 'log-in: scrypt again, compared with the stored hash', cost.verify],
    [
      'POST /auth/login',
      `over HTTP to the end of the answer: hash, user row, JWT (${LOGINS_PER_USER} per user, under the rate limit)`,
      cost.login,
    ],
  ]
  const measured = parts.filter((part): part is [string, string, Timing] => part[2] !== undefined)
  const rows = measured.map(([name, what, timing]) => [
    name,
    what,
    String(timing.runs),
    milliseconds(timing.median),
    milliseconds(timing.p95),
  ])
  const title = `login cost (lesson ${cost.lesson})`
  const notes = cost.notes.map((note) => `Login cost: ${note}.`)
  if (markdown) {
    const table = rows.length
      ? [
          `| ${title} | what | runs | median | p95 |`,
          '|---|---|---:|---:|---:|',
          ...rows.map((row) => `| ${row.join(' | ')} |`),
        ]
      : []
    return [...table, ...notes.map((note) => (table.length ? `\n${note}` : note))].join('\n')
  }
  const table = rows.length
    ? [
        `Login cost (lesson ${cost.lesson}):`,
        ...pad([['', 'what', 'runs', 'median', 'p95'], ...rows], 2).map((line) => `  ${line}`),
      ]
    : []
  return [...table, ...notes].join('\n')
}
