import type { StartupTimes } from './database.js'

/** One row of the results table. */
export interface Row {
  name: string
  /** The baseline: every other row's req/s is shown as a multiple of this one's. */
  baseline: boolean
  /** The raw-pg row this one is compared with (the "vs raw pg" column). */
  twin?: string
  /** Set when the target was not measured, saying why. */
  skipped?: string
  requestsPerSecond?: number
  p99?: number
  /** Answers that were not 2xx, errors and timeouts: a fast 404 is not a result. */
  failures?: number
}

/** The goal: a lesson answers at least half as many requests as its raw pg twin. */
export const RAW_PG_TARGET = 0.5

/** `row`'s req/s as a multiple of `other`'s; undefined when either was not measured. */
export function ratio(row: Row, other: Row | undefined): number | undefined {
  if (row.skipped || !other || other.skipped) return undefined
  const mine = row.requestsPerSecond
  const theirs = other.requestsPerSecond
  if (mine === undefined || theirs === undefined || !(theirs > 0)) return undefined
  return mine / theirs
}

/** Both ratios of every row: to the node:http baseline, and to its raw pg twin. */
export function ratios(rows: Row[]): { vsBaseline?: number; vsTwin?: number }[] {
  const baseline = rows.find((row) => row.baseline)
  return rows.map((row) => ({
    vsBaseline: ratio(row, baseline),
    vsTwin: row.twin
      ? ratio(
          row,
          rows.find((other) => other.name === row.twin),
        )
      : undefined,
  }))
}

function times(value: number | undefined, goal?: number): string {
  if (value === undefined) return '—'
  const text = `${value.toFixed(2)}×`
  return goal !== undefined && value < goal ? `${text} (below ${goal}×)` : text
}

const HEADINGS = ['target', 'req/s', 'p99 latency (ms)', 'vs node:http', 'vs raw pg']

function columns(rows: Row[]): string[][] {
  const all = ratios(rows)
  return rows.map((row, index) => {
    if (row.skipped || row.requestsPerSecond === undefined) return [row.name, '', '', '', '']
    const { vsBaseline, vsTwin } = all[index] ?? {}
    return [
      row.name,
      Math.round(row.requestsPerSecond).toLocaleString('en-US'),
      String(row.p99 ?? '—'),
      times(vsBaseline),
      row.twin ? times(vsTwin, RAW_PG_TARGET) : '',
    ]
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
  const lines = pad([HEADINGS, ...body])
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
  const lines = [`| ${HEADINGS.join(' | ')} |`, '|---|---:|---:|---:|---:|']
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
