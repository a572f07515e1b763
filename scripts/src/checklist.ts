import { type Context, paint } from './context.js'
import type { Behaviour, FileResult } from './tap-results.js'
import { loadFailureFile, type TestIndex } from './test-names.js'

/** One line of the checklist: a behaviour, or a test file that could not even load. */
export interface Entry {
  /** The test file that defines it: `test/validation.test.ts`. */
  file: string
  name: string
  ok: boolean
  skipped: boolean
  /** A file that could not load (a missing export, a syntax error in src/). */
  crashed: boolean
  reason?: string[]
  /** Not in the previous lesson's tests: what this lesson adds. */
  isNew: boolean
}

/** A type error from `tsc`: one failing line of the checklist. */
export interface TypeProblem {
  /** `src/app.ts:12:5`, or '' for an error about the set-up (tsconfig.json). */
  where: string
  code: string
  message: string
}

/**
 * Put every behaviour under the test file that defines it, and mark what is new in this
 * lesson. `results` is what tap kept: one file (`test/all.ts`, every file run in one
 * process), or one results file per test file (a lesson run file by file). `own` indexes the
 * copy's test/ folder, `previous` the previous lesson's (none for the first lesson).
 */
export function organise(
  results: FileResult[],
  own: TestIndex,
  previous: TestIndex | undefined,
  crashReason?: string,
  dir = '',
): Entry[] {
  const entries: Entry[] = []
  const isNew = (file: string, name: string) => !previous || previous.fileOf(name) !== file
  for (const result of results) {
    const oneProcess = !result.file.endsWith('.test.ts')
    if (result.crashed) {
      entries.push({
        file: result.file,
        name: result.file,
        ok: false,
        skipped: false,
        crashed: true,
        reason: [crashReason ?? 'it stopped before its first test'],
        isNew: !previous?.files.includes(result.file),
      })
      continue
    }
    for (const behaviour of result.behaviours) {
      const loads = oneProcess ? loadFailureFile(behaviour.name) : undefined
      if (loads && !behaviour.ok) {
        entries.push({
          ...behaviour,
          file: loads,
          crashed: true,
          reason: loadReason(behaviour, dir),
          isNew: !previous?.files.includes(loads),
        })
        continue
      }
      const file = oneProcess ? (own.fileOf(behaviour.name) ?? result.file) : result.file
      entries.push({ ...behaviour, file, crashed: false, isNew: isNew(file, behaviour.name) })
    }
  }
  return entries
}

/** `t.error(error)` on an import that failed: its message, without where all.ts caught it. */
function loadReason(behaviour: Behaviour, dir: string): string[] {
  const first = behaviour.reason?.[0] ?? 'it could not be imported'
  const message = first
    .replace(/ \(test\/all\.ts:\d+\)$/, '')
    .replace(/\s+imported from .*$/, '')
    .replaceAll(dir ? `${dir}/` : '\0', '')
  return [message]
}

/**
 * `src/app.ts(12,5): error TS2339: Property 'title' does not exist on type 'unknown'.` (what
 * `tsc --pretty false` prints) → one TypeProblem per error. Lines that go on explaining the
 * error above them are left out: the first line says what and where.
 */
export function parseTypeErrors(output: string): TypeProblem[] {
  const errors: TypeProblem[] = []
  for (const line of output.split(/\r?\n/)) {
    const located = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line)
    if (located) {
      const [, file = '', row, column, code = '', message = ''] = located
      errors.push({ where: `${file.replaceAll('\\', '/')}:${row}:${column}`, code, message })
      continue
    }
    const general = /^error (TS\d+): (.*)$/.exec(line.trim())
    if (general) errors.push({ where: '', code: general[1] ?? '', message: general[2] ?? '' })
  }
  return errors
}

export interface Tally {
  passed: number
  failed: number
  /** Test files that could not load. */
  crashed: number
  typeErrors: number
}

/**
 * Print the checklist:
 *
 *   New in lesson 03                     (the lesson's own tests: every one, ✔ or ✘)
 *   test/validation.test.ts
 *     ✔ …
 *     ✘ …  (why, under it)
 *
 *   From earlier lessons                 (only their failures, then one line for the rest)
 *     ✔ 96 behaviours from earlier lessons still pass
 *
 *   Type check (tsc)
 *     ✘ src/app.ts:12:5 Property 'title' does not exist on type 'unknown'. (TS2339)
 *
 *   Still to fix: every failure again, one line each.
 */
export function printChecklist(
  ctx: Context,
  entries: Entry[],
  typeErrors: TypeProblem[] | undefined,
  options: {
    lesson: string
    hasPrevious: boolean
    /** Leave out the lesson's own tests (a quick run showed them) or all the rest. */
    show?: 'all' | 'new' | 'rest'
  },
): Tally {
  const show = options.show ?? 'all'
  const tally: Tally = { passed: 0, failed: 0, crashed: 0, typeErrors: typeErrors?.length ?? 0 }
  for (const entry of entries) {
    if (entry.crashed) tally.crashed++
    else if (entry.skipped) continue
    else if (entry.ok) tally.passed++
    else tally.failed++
  }

  const fresh = entries.filter((entry) => entry.isNew)
  const earlier = entries.filter((entry) => !entry.isNew)
  if (show !== 'rest') {
    if (options.hasPrevious && fresh.length) {
      ctx.out('')
      ctx.out(paint(ctx, ['bold', 'underline'], `New in lesson ${options.lesson}`))
    }
    printByFile(ctx, fresh)
  }
  if (show === 'new') return tally

  if (earlier.length) {
    const failing = earlier.filter((entry) => !entry.ok && !entry.skipped)
    const passing = earlier.filter((entry) => entry.ok && !entry.skipped).length
    ctx.out('')
    ctx.out(paint(ctx, ['bold', 'underline'], 'From earlier lessons'))
    printByFile(ctx, failing)
    if (failing.length) ctx.out('')
    const what = `${passing} behaviour${passing === 1 ? '' : 's'} from earlier lessons`
    ctx.out(
      failing.length === 0
        ? `  ${paint(ctx, 'green', '✔')} ${what} still pass${passing === 1 ? 'es' : ''}`
        : `  ${paint(ctx, 'green', '✔')} ${what} still pass${passing === 1 ? 'es' : ''}; the ${failing.length} above fail${failing.length === 1 ? 's' : ''}`,
    )
  }

  if (typeErrors) {
    ctx.out('')
    ctx.out(paint(ctx, ['bold', 'underline'], 'Type check (tsc)'))
    if (typeErrors.length === 0) ctx.out(`  ${paint(ctx, 'green', '✔')} no type errors`)
    for (const error of typeErrors) ctx.out(`  ${paint(ctx, 'red', '✘')} ${describeType(error)}`)
  }

  const failures = entries.filter((entry) => !entry.ok && !entry.skipped)
  const total = failures.length + (typeErrors?.length ?? 0)
  if (total > 0) {
    ctx.out('')
    ctx.out(paint(ctx, 'bold', `Still to fix (${total}):`))
    const lines = [
      ...failures.map((entry) => {
        const where = /\(([^()]+:\d+)\)$/.exec(entry.reason?.[0] ?? '')?.[1]
        const name = entry.crashed ? 'could not load' : entry.name
        return `${entry.file}: ${name}${where && !entry.crashed ? `  (${where})` : ''}`
      }),
      ...(typeErrors ?? []).map(describeType),
    ]
    const shown = lines.slice(0, 20)
    for (const line of shown) ctx.out(`  ${paint(ctx, 'red', '✘')} ${line}`)
    if (lines.length > shown.length) ctx.out(`  … and ${lines.length - shown.length} more`)
  }
  return tally
}

function describeType(error: TypeProblem): string {
  return `${error.where ? `${error.where} ` : ''}${error.message} (${error.code})`
}

function printByFile(ctx: Context, entries: Entry[]): void {
  let file: string | undefined
  const order = [...new Set(entries.map((entry) => entry.file))]
  for (const current of order) {
    for (const entry of entries.filter((candidate) => candidate.file === current)) {
      if (entry.file !== file) {
        file = entry.file
        ctx.out('')
        ctx.out(paint(ctx, 'bold', file))
      }
      printEntry(ctx, entry)
    }
  }
}

function printEntry(ctx: Context, entry: Entry): void {
  if (entry.crashed) {
    ctx.out(`  ${paint(ctx, 'red', '✘')} could not load: ${entry.reason?.[0] ?? ''}`)
  } else if (entry.skipped) {
    ctx.out(`  ${paint(ctx, 'dim', `- ${entry.name} (skipped)`)}`)
  } else if (entry.ok) {
    ctx.out(`  ${paint(ctx, 'green', '✔')} ${entry.name}`)
  } else {
    ctx.out(`  ${paint(ctx, 'red', '✘')} ${entry.name}`)
    const [first, ...detail] = entry.reason ?? []
    if (first) ctx.out(paint(ctx, 'dim', `      ${first}`))
    if (detail.length) {
      ctx.out(paint(ctx, 'dim', '      (- expected, + actual)'))
      for (const line of detail) ctx.out(paint(ctx, 'dim', `      ${line}`))
    }
  }
}
