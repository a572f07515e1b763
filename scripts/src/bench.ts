import { type ChildProcess, fork } from 'node:child_process'
import { arch, cpus, loadavg, platform, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import type { ServerOptions } from './bench/servers.js'
import { type BenchTarget, targets } from './bench/targets.js'
import { findLessons } from './lessons.js'

/**
 * `pnpm bench`: how many requests per second each target answers, side by side, on this
 * machine. Every target gets the same connections, warm-up and duration; the numbers mean
 * something only next to each other, which is why the bare node:http server is in the table.
 */

interface Settings {
  duration: number
  warmup: number
  connections: number
  markdown: boolean
}

interface Row {
  name: string
  /** The baseline: every other row's req/s is shown as a multiple of this one's. */
  baseline: boolean
  /** Set when the target was not measured, saying why. */
  skipped?: string
  requestsPerSecond?: number
  p99?: number
  /** Answers that were not 2xx, errors and timeouts: a fast 404 is not a result. */
  failures?: number
}

const here = dirname(fileURLToPath(import.meta.url))
const root = process.env.KITCHEN_ROOT ?? resolve(here, '..', '..')

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '50' },
      markdown: { type: 'boolean', default: false },
    },
  })
  const number = (name: string, value: string, min: number) => {
    const parsed = Number(value)
    if (!Number.isFinite(parsed) || parsed < min) {
      throw new Error(`--${name} must be a number of at least ${min} (got "${value}")`)
    }
    return parsed
  }
  return {
    duration: number('duration', values.duration, 1),
    warmup: number('warmup', values.warmup, 0),
    connections: Math.round(number('connections', values.connections, 1)),
    markdown: values.markdown,
  }
}

/** Start a target's server in its own process; resolve with the child and its port. */
function startServer(target: BenchTarget, options: ServerOptions) {
  const child = fork(join(here, 'bench', 'serve.ts'), [target.server, JSON.stringify(options)], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, ...target.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise<{ child: ChildProcess; port: number }>((resolvePort, reject) => {
    child.once('message', (message) =>
      resolvePort({ child, port: (message as { port: number }).port }),
    )
    child.once('exit', (code) =>
      reject(new Error(`its server stopped before listening (exit code ${code})`)),
    )
  })
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolveStop()
    })
    child.disconnect()
  })
}

async function measure(
  target: BenchTarget,
  settings: Settings,
  log: (text: string) => void,
): Promise<Row> {
  let options: ServerOptions = {}
  if (target.lesson !== undefined) {
    const lesson = findLessons(join(root, 'lessons')).find(
      (each) => each.number === Number(target.lesson),
    )
    if (!lesson) {
      log(`${target.name}: skipped, there is no lesson ${target.lesson} yet`)
      return {
        name: target.name,
        baseline: false,
        skipped: `there is no lesson ${target.lesson} yet`,
      }
    }
    options = { lessonDir: lesson.dir }
  }

  log(`${target.name}: starting`)
  let server: { child: ChildProcess; port: number } | undefined
  try {
    server = await startServer(target, options)
    const baseUrl = `http://127.0.0.1:${server.port}`
    const prepared = (await target.setup?.(baseUrl)) ?? {}
    const request = {
      url: `${baseUrl}${prepared.path ?? target.path}`,
      method: target.method ?? 'GET',
      headers: prepared.headers ?? {},
      connections: settings.connections,
    }
    if (settings.warmup > 0) {
      log(`${target.name}: warming up for ${settings.warmup} s`)
      await autocannon({ ...request, duration: settings.warmup })
    }
    log(`${target.name}: measuring for ${settings.duration} s`)
    const result = await autocannon({ ...request, duration: settings.duration })
    return {
      name: target.name,
      baseline: target.server === 'node-http',
      requestsPerSecond: result.requests.average,
      p99: result.latency.p99,
      failures: result.non2xx + result.errors + result.timeouts,
    }
  } catch (error) {
    log(`${target.name}: failed, ${(error as Error).message}`)
    return { name: target.name, baseline: false, skipped: `failed: ${(error as Error).message}` }
  } finally {
    if (server) await stopServer(server.child)
  }
}

function machine(): string {
  const cores = cpus()
  const model = cores[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  const memory = `${Math.round(totalmem() / 1024 ** 3)} GB`
  // Other busy programs skew the numbers; the load average before the run shows whether there were any.
  const load = loadavg()[0]?.toFixed(1) ?? '?'
  return `${model}, ${cores.length} cores, ${memory}, ${platform()} ${arch()}, Node ${process.version} (load average ${load} at start)`
}

function columns(row: Row, baseline: number | undefined): string[] {
  if (row.skipped || row.requestsPerSecond === undefined) return [row.name, '', '', '']
  const ratio = baseline ? `${(row.requestsPerSecond / baseline).toFixed(2)}×` : '—'
  return [
    row.name,
    Math.round(row.requestsPerSecond).toLocaleString('en-US'),
    String(row.p99 ?? '—'),
    ratio,
  ]
}

const HEADINGS = ['target', 'req/s', 'p99 latency (ms)', 'vs node:http']

function textTable(rows: Row[], baseline: number | undefined): string {
  const cells = [HEADINGS, ...rows.map((row) => columns(row, baseline))]
  const widths = HEADINGS.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)))
  const lines = cells.map((line, index) => {
    const row = rows[index - 1]
    if (row?.skipped) return `${row.name.padEnd(widths[0] ?? 0)}  (skipped: ${row.skipped})`
    return line
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
  })
  return lines.join('\n')
}

function markdownTable(rows: Row[], baseline: number | undefined): string {
  const lines = [`| ${HEADINGS.join(' | ')} |`, '|---|---:|---:|---:|']
  for (const row of rows) {
    if (row.skipped) continue
    lines.push(`| ${columns(row, baseline).join(' | ')} |`)
  }
  return lines.join('\n')
}

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2))
  // Progress goes to stderr so `pnpm bench --markdown > bench.md` holds the table alone.
  const log = (text: string) => process.stderr.write(`${text}\n`)
  const rows: Row[] = []
  for (const target of targets) rows.push(await measure(target, settings, log))

  const baseline = rows.find((row) => row.baseline)?.requestsPerSecond
  const how = `${settings.connections} connections, ${settings.duration} s per target after a ${settings.warmup} s warm-up`
  const warnings = rows
    .filter((row) => row.failures)
    .map(
      (row) =>
        `${row.name}: ${row.failures} answers were errors or not 2xx, so its numbers mislead.`,
    )

  if (settings.markdown) {
    console.log(markdownTable(rows, baseline))
    console.log('')
    console.log(`Measured with \`pnpm bench\` (autocannon, ${how}) on ${machine()}.`)
    const skipped = rows.filter((row) => row.skipped).map((row) => `${row.name} (${row.skipped})`)
    if (skipped.length) console.log(`\nNot measured: ${skipped.join('; ')}.`)
    for (const warning of warnings) console.log(`\n**${warning}**`)
  } else {
    console.log('')
    console.log(`Machine: ${machine()}`)
    console.log(`Load:    autocannon, ${how}`)
    console.log('')
    console.log(textTable(rows, baseline))
    if (warnings.length) console.log(`\n${warnings.join('\n')}`)
  }
  return rows.some((row) => row.failures) ? 1 : 0
}

const USAGE = `Usage: pnpm bench [--duration 5] [--warmup 1] [--connections 50] [--markdown]

Measures every target in scripts/src/bench/targets.ts, one after the other, each server in its
own process. --markdown prints a table to paste into a README (progress goes to stderr).`

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE)
} else {
  try {
    process.exitCode = await main()
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exitCode = 1
  }
}
