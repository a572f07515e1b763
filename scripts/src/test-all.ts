/**
 * `pnpm test`: lint, typecheck and every package's tests through turbo, a line per package as
 * its tests finish, then one summary line over every test file:
 *
 *   tests: 412 passed, 0 failed
 *
 * Nothing is started here: each database lesson's own `test` script (`with-test-database tap`)
 * starts a throwaway Postgres for its run, so when turbo has every result cached, no database
 * starts at all. Turbo replays cached results, and tap keeps each file's results in
 * .tap/test-results, so the summary is complete even when nothing had to run again.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { lastFullRun } from './tap-results.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Count the top-level tests of one tap results file: `ok 3 - …` and `not ok 4 - …`. */
export function countResults(tap: string): { passed: number; failed: number } {
  let passed = 0
  let failed = 0
  for (const line of tap.split('\n')) {
    if (/^ok \d+/.test(line) && !/# SKIP/i.test(line)) passed++
    else if (/^not ok \d+/.test(line) && !/# TODO/i.test(line)) failed++
  }
  return { passed, failed }
}

function* resultFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* resultFiles(path)
    else if (entry.name.endsWith('.tap')) yield path
  }
}

interface Totals {
  passed: number
  failed: number
  files: number
}

/** The results of one package's test files, from its .tap/test-results folder. */
export function packageResults(packageDir: string): Totals {
  const totals = { passed: 0, failed: 0, files: 0 }
  const resultsDir = join(packageDir, '.tap', 'test-results')
  if (!existsSync(resultsDir)) return totals
  // results/test/x.test.ts.tap belongs to test/x.test.ts; skip results of deleted files
  const files = [...resultFiles(resultsDir)]
    .map((path) => ({ path, file: relative(resultsDir, path).replace(/\.tap$/, '') }))
    .filter(({ file }) => existsSync(join(packageDir, file)))
  for (const { path } of lastFullRun(files)) {
    const { passed, failed } = countResults(readFileSync(path, 'utf8'))
    totals.passed += passed
    totals.failed += failed
    totals.files++
  }
  return totals
}

/** Every workspace package's folder, by package name. */
function workspacePackages(): Map<string, string> {
  const found = new Map<string, string>()
  const dirs = [join(root, 'scripts')]
  for (const group of ['packages', 'lessons']) {
    const groupDir = join(root, group)
    if (!existsSync(groupDir)) continue
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(join(groupDir, entry.name))
    }
  }
  for (const dir of dirs) {
    try {
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      if (typeof name === 'string') found.set(name, dir)
    } catch {
      // not a package (a folder being made or removed)
    }
  }
  return found
}

/**
 * tap compiles its plugins into node_modules on first use (10-20 s). Do it once here when it
 * is needed, or the test runs that turbo starts side by side would all try at once and trip
 * over each other. Once built (without the TypeScript plugin, which every package turns
 * off), there is nothing to do.
 */
function tapBuildNeeded(tapDir: string): boolean {
  try {
    const built = join(
      dirname(realpathSync(tapDir)),
      '@tapjs',
      'test',
      'test-built',
      'dist',
      'esm',
      'index.js',
    )
    const signature = /export const signature = `([^`]*)`/.exec(readFileSync(built, 'utf8'))?.[1]
    return !signature || signature.includes('@tapjs/typescript')
  } catch {
    return true
  }
}

function run(command: string, args: string[], cwd = root): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/**
 * Run turbo with every task's output piped through here: print a line per package when its
 * tests finish (or come from the cache), and the whole output of a task only when it fails.
 */
function runTurbo(args: string[]): Promise<number> {
  const packages = workspacePackages()
  const logs = new Map<string, string[]>()
  /** When each task printed its first line: its time, shown when its tests end. */
  const started = new Map<string, number>()
  const child = spawn('turbo', args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] })
  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward).on('SIGTERM', forward)
  const lines = createInterface({ input: child.stdout })
  lines.on('line', (line) => {
    const task = /^(\S+?):(\w+): (.*)$/.exec(line)
    if (!task) {
      // Turbo's summary at the end; `Failed:    @kitchen/db#test, …` names the failed tasks.
      const failed = /^\s*Failed:\s+(.*)$/.exec(line)
      for (const key of failed?.[1]?.trim().split(/,\s*/) ?? []) {
        const log = logs.get(key) ?? []
        console.log(`\n✘ ${key} failed:\n${log.map((l) => `  ${l}`).join('\n')}`)
      }
      if (/^\s*(Tasks|Cached|Time|Failed):/.test(line)) console.log(line.trim())
      return
    }
    const [, name = '', kind = '', text = ''] = task
    const key = `${name}#${kind}`
    const log = logs.get(key) ?? []
    log.push(text)
    logs.set(key, log)
    if (!started.has(key)) started.set(key, Date.now())
    // A test task is over: replayed from the cache, or tap printed its last line.
    if (kind === 'test' && (/^cache hit/.test(text) || /^# \{ total: /.test(text))) {
      const dir = packages.get(name)
      const results = dir ? packageResults(dir) : undefined
      const where = dir ? relative(root, dir) : name
      const counts = results ? `${results.passed} passed, ${results.failed} failed` : text
      const took = /^cache hit/.test(text)
        ? 'cached'
        : `${Math.round((Date.now() - (started.get(key) ?? Date.now())) / 1000)} s`
      console.log(`${results && results.failed === 0 ? '✔' : '✘'} ${where}: ${counts} (${took})`)
    }
  })
  return new Promise((resolve) => {
    // 'close', not 'exit': by then every line of its output has been read.
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

const testingDir = join(root, 'packages', 'testing')
const tapDir = join(testingDir, 'node_modules', 'tap')
if (tapBuildNeeded(tapDir)) {
  const built = await run(join(testingDir, 'node_modules', '.bin', 'tap'), ['build'], testingDir)
  if (built !== 0) process.exit(built)
}

const code = await runTurbo([
  'run',
  'lint',
  'typecheck',
  'test',
  '--continue',
  // Cached tasks print one line ("cache hit"), the others everything, which we pass on only
  // for tasks that fail.
  '--output-logs=new-only',
  '--log-order=stream',
  '--log-prefix=task',
  '--no-color',
  // Two cores: a few packages at a time, each running its test files side by side, keeps
  // every test's timing sane; more at once only makes each of them slower.
  '--concurrency=3',
])
const totals: Totals & { packages: number } = { passed: 0, failed: 0, files: 0, packages: 0 }
for (const dir of workspacePackages().values()) {
  const results = packageResults(dir)
  if (results.files === 0) continue
  totals.passed += results.passed
  totals.failed += results.failed
  totals.files += results.files
  totals.packages++
}
console.log(`\n${totals.files} test files in ${totals.packages} packages`)
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`)
process.exit(code !== 0 ? code : totals.failed > 0 ? 1 : 0)
