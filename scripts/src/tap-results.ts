import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** One top-level test of a test file: a behaviour, named as tap names it. */
export interface Behaviour {
  name: string
  ok: boolean
  skipped: boolean
  /** For a failure: the first failing assertion, its place, and its diff (a few lines). */
  reason?: string[]
}

export interface FileResult {
  /** `test/validation.test.ts` */
  file: string
  behaviours: Behaviour[]
  /** The file ran no test at all: it crashed on loading (a missing module, a syntax error). */
  crashed: boolean
}

const RESULT = /^(not ok|ok) \d+(?: - (.*?))?(?: # (SKIP|TODO)\b.*| # time=.*)?$/i

/**
 * Parse the TAP that tap keeps for one test file (`.tap/test-results/<file>.tap`). Top-level
 * `ok`/`not ok` lines are the behaviours; the indented block before each is its subtest, where
 * the first `not ok` says why it failed.
 */
export function parseTapFile(file: string, tap: string): FileResult {
  const behaviours: Behaviour[] = []
  let block: string[] = []
  for (const line of tap.replace(/\r\n/g, '\n').split('\n')) {
    const result = RESULT.exec(line)
    if (!result) {
      if (/^\s/.test(line)) block.push(line)
      else block = []
      continue
    }
    const ok = result[1] === 'ok'
    const directive = result[3]?.toUpperCase()
    const behaviour: Behaviour = {
      name: (result[2] ?? '(unnamed test)').trim(),
      ok: ok || directive === 'TODO',
      skipped: directive === 'SKIP',
    }
    if (!behaviour.ok) behaviour.reason = failureReason(block)
    behaviours.push(behaviour)
    block = []
  }
  return { file, behaviours, crashed: behaviours.length === 0 }
}

/** The first failing assertion of a subtest block: its name, where, and its diff or values. */
export function failureReason(block: string[]): string[] {
  const start = block.findIndex((line) => /^\s+not ok \d+/.test(line))
  if (start === -1) return []
  const first = block[start] as string
  const indent = first.length - first.trimStart().length
  const name = first
    .trim()
    .replace(/^not ok \d+(?: - )?/, '')
    .replace(/ # time=.*$/, '')
  const lines: string[] = []
  let where = ''
  let file = ''
  let section: 'diff' | 'found' | undefined
  for (const raw of block.slice(start + 1)) {
    const line = raw.slice(indent)
    if (/^\s*\.\.\.\s*$/.test(line) || /^(not )?ok \d+/.test(line.trim())) break
    const key = /^\s{2}(\w+):\s?(.*)$/.exec(line)
    if (key) {
      section = undefined
      const [, name, value] = key
      if (name === 'diff') section = 'diff'
      else if (name === 'found' || name === 'wanted' || name === 'pattern') {
        lines.push(`${name}: ${value}`)
        section = value === '' || value === '|' || value === '|-' ? 'found' : undefined
      }
      continue
    }
    const fileName = /^\s+fileName: (.*)$/.exec(line)
    if (fileName) file = fileName[1] as string
    const lineNumber = /^\s+lineNumber: (\d+)$/.exec(line)
    if (lineNumber && file && !where) where = `${file}:${lineNumber[1]}`
    if (section === 'diff') {
      const text = line.replace(/^\s{4}/, '')
      if (/^(---|\+\+\+|@@)/.test(text)) continue
      lines.push(text)
    } else if (section === 'found') {
      lines.push(`  ${line.trim()}`)
    }
  }
  const shown = lines.slice(0, 8)
  if (lines.length > shown.length) shown.push('…')
  return [where ? `${name} (${where})` : name, ...shown]
}

function* tapFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* tapFiles(path)
    else if (entry.name.endsWith('.tap')) yield path
  }
}

/** Every test file's results in `<package>/.tap/test-results`, by file name. */
export function readTestResults(packageDir: string): FileResult[] {
  const dir = join(packageDir, '.tap', 'test-results')
  if (!existsSync(dir)) return []
  const results: FileResult[] = []
  for (const path of tapFiles(dir)) {
    const file = relative(dir, path)
      .split(sep)
      .join('/')
      .replace(/\.tap$/, '')
    results.push(parseTapFile(file, readFileSync(path, 'utf8')))
  }
  return results.sort((a, b) => a.file.localeCompare(b.file))
}

/**
 * The results that stand for the lesson's last full run. A lesson that runs its files in one
 * process (`test/all.ts`) has them all in `test/all.ts.tap`; results of single files run on
 * their own (`tap test/x.test.ts`, or from before the lesson ran them in one process) stay in
 * the folder beside it, and would count twice.
 */
export function lastFullRun<T extends { file: string }>(results: T[]): T[] {
  const runners = results.filter((result) => !result.file.endsWith('.test.ts'))
  return runners.length > 0 ? runners : results
}
