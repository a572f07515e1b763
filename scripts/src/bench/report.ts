import type { StartupTimes } from './database.js'
import { LOGINS_PER_USER, type LoginCost, type Timing } from './login-cost.js'

/** One row of the results table. */
export interface Row {
  name: string
  /** The baseline: every other row's req/s is shown as a multiple of this one's. */
  baseline: boolean
  /** The target's name as written in targets.ts (`{lesson}` not filled in), to find twins by. */
  target?: string
  /** The raw-pg row this one is compared with (the "vs raw pg" column). */
  twin?: string
  /** The row without log-in this one is compared with (the "vs no auth" column). */
  noAuthTwin?: string
  /** Set when the target was not measured, saying why. */
  skipped?: string
  requestsPerSecond?: number
  p99?: number
  /** Answers that were not 2xx, errors and timeouts: a fast 404 is not a result. */
  failures?: number
}

/** The goal: a lesson answers at least half as many requests as its raw pg twin. */
export const RAW_PG_TARGET = 0.5

/** The goal: checking a JWT keeps at least 0.8× the req/s of the same route without. */
export const AUTH_TARGET = 0.8

/** `row`'s req/s as a multiple of `other`'s; undefined when either was not measured. */
export function ratio(row: Row, other: Row | undefined): number | undefined {
  if (row.skipped || !other || other.skipped) return undefined
  const mine = row.requestsPerSecond
  const theirs = other.requestsPerSecond
  if (mine === undefined || theirs === undefined || !(theirs > 0)) return undefined
  return mine / theirs
}

/** The ratios of every row: to the node:http baseline, its raw pg twin and its no-auth twin. */
export function ratios(rows: Row[]): { vsBaseline?: number; vsTwin?: number; vsNoAuth?: number }[] {
  const baseline = rows.find((row) => row.baseline)
  // A twin is named as in targets.ts: the row's name, or its name before `{lesson}` was filled in.
  const named = (name: string | undefined) =>
    name === undefined
      ? undefined
      : rows.find((other) => other.name === name || other.target === name)
  return rows.map((row) => ({
    vsBaseline: ratio(row, baseline),
    vsTwin: row.twin ? ratio(row, named(row.twin)) : undefined,
    vsNoAuth: row.noAuthTwin ? ratio(row, named(row.noAuthTwin)) : undefined,
  }))
}

function times(value: number | undefined, goal?: number): string {
  if (value === undefined) return '—'
  const text = `${value.toFixed(2)}×`
  return goal !== undefined && value < goal ? `${text} (below ${goal}×)` : text
}

const HEADINGS = ['target', 'req/s', 'p99 latency (ms)', 'vs node:http', 'vs raw pg']
const NO_AUTH_HEADING = 'vs no auth'

/** The "vs no auth" column is there only when some row has a no-auth twin. */
function headings(rows: Row[]): string[] {
  return rows.some((row) => row.noAuthTwin) ? [...HEADINGS, NO_AUTH_HEADING] : HEADINGS
}

function columns(rows: Row[]): string[][] {
  const all = ratios(rows)
  const width = headings(rows).length
  return rows.map((row, index) => {
    if (row.skipped || row.requestsPerSecond === undefined) {
      return [row.name, ...Array<string>(width - 1).fill('')]
    }
    const { vsBaseline, vsTwin, vsNoAuth } = all[index] ?? {}
    return [
      row.name,
      Math.round(row.requestsPerSecond).toLocaleString('en-US'),
      String(row.p99 ?? '—'),
      times(vsBaseline),
      row.twin ? times(vsTwin, RAW_PG_TARGET) : '',
      row.noAuthTwin ? times(vsNoAuth, AUTH_TARGET) : '',
    ].slice(0, width)
  })
}

/** Columns padded to one width each: the first `left` columns text (left), the rest numbers. */
function pad(cells: string[][], left = 1): string[] {
  const widths = (cells[0] ?? []).map((_, i) =>
    Math.max(...cells.map((line) => (line[i] ?? '').length)),
  )
  return cells.map((line) =>
    line
      .map((cell, i) => (i < left ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}

export function textTable(rows: Row[]): string {
  const body = columns(rows)
  const lines = pad([headings(rows), ...body])
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
  const lines = [`| ${titles.join(' | ')} |`, `|---|${'---:|'.repeat(titles.length - 1)}`]
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
