/**
 * `pnpm test`: lint, typecheck and every package's tests through turbo, on one test
 * database server shared by all of them, then one summary line over every test file:
 *
 *   tests: 412 passed, 0 failed
 *
 * Turbo replays cached results, and tap keeps each file's results in .tap/test-results, so the
 * summary is complete even when nothing had to run again.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

function run(command: string, args: string[], cwd = root): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward).on('SIGTERM', forward)
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

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

function summarise(): { passed: number; failed: number; files: number; packages: number } {
  const totals = { passed: 0, failed: 0, files: 0, packages: 0 }
  for (const group of ['packages', 'lessons', 'scripts']) {
    const groupDir = join(root, group)
    if (!existsSync(groupDir)) continue
    const packageDirs =
      group === 'scripts'
        ? [groupDir]
        : readdirSync(groupDir, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => join(groupDir, entry.name))
    for (const packageDir of packageDirs) {
      const resultsDir = join(packageDir, '.tap', 'test-results')
      if (!existsSync(resultsDir)) continue
      let counted = false
      for (const file of resultFiles(resultsDir)) {
        // results/test/x.test.ts.tap belongs to test/x.test.ts; skip results of deleted files
        const testFile = relative(resultsDir, file).replace(/\.tap$/, '')
        if (!existsSync(join(packageDir, testFile))) continue
        const { passed, failed } = countResults(readFileSync(file, 'utf8'))
        totals.passed += passed
        totals.failed += failed
        totals.files++
        counted = true
      }
      if (counted) totals.packages++
    }
  }
  return totals
}

// tap compiles its plugins into node_modules on first use. Do it once here, or the packages'
// test runs that turbo starts side by side would all try at once and trip over each other.
const coreDir = join(root, 'packages', 'core')
const built = await run(join(coreDir, 'node_modules', '.bin', 'tap'), ['build'], coreDir)
if (built !== 0) process.exit(built)

const code = await run('with-test-database', [
  'turbo',
  'run',
  'lint',
  'typecheck',
  'test',
  '--output-logs=errors-only',
  '--continue',
  // Two cores: a few packages at a time, each running its test files side by side, keeps
  // every test's timing sane; more at once only makes each of them slower.
  '--concurrency=3',
])
const totals = summarise()
console.log(`\n${totals.files} test files in ${totals.packages} packages`)
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`)
process.exit(code !== 0 ? code : totals.failed > 0 ? 1 : 0)
