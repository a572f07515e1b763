import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The learner's progress, kept in `<repo>/.kitchen/progress.json` (git-ignored):
 *
 *   {
 *     "version": 1,
 *     "lessons": {
 *       "hello-server": {
 *         "lastTest": { "result": "passed", "at": "2025-11-25T16:40:12.000Z", "exitCode": 0 }
 *       }
 *     }
 *   }
 *
 * Lessons are keyed by slug (the folder name without its number) so progress survives a
 * renumbering. Besides `lastTest` (the reference lesson's own tests, from `test` and `verify`),
 * practice mode keeps, for a lesson practised in a playground copy:
 *
 *   "practice": { "state": "current", "startedAt": "…", "lastCheck": { "result": "failed", … } },
 *   "hintsSeen": 2
 *
 * Fields this version does not know are kept when the file is rewritten.
 */
export interface Progress {
  version: 1
  lessons: Record<string, LessonProgress>
}

export interface LessonProgress {
  lastTest?: TestRun
  /** Set by `pnpm lesson practice` (current) and `pnpm lesson check` (done). */
  practice?: PracticeProgress
  /** How many of the lesson's hints `pnpm lesson hint` has shown. */
  hintsSeen?: number
  [field: string]: unknown
}

export interface PracticeProgress {
  state: PracticeState
  /** ISO 8601: when `practice` last made the playground copy. Picks the default for `check`. */
  startedAt?: string
  /** ISO 8601: when `check` first passed. */
  doneAt?: string
  /** The last `check`: how many behaviours passed and failed. */
  lastCheck?: CheckRun
}

export interface CheckRun {
  result: 'passed' | 'failed'
  at: string
  passed: number
  failed: number
  /** Errors from `tsc` in the copy: a lesson with any is not done. */
  typeErrors?: number
}

export interface TestRun {
  result: 'passed' | 'failed'
  /** ISO 8601, UTC. */
  at: string
  exitCode: number
}

export type PracticeState = 'not-started' | 'current' | 'done'

export function progressFile(root: string): string {
  return join(root, '.kitchen', 'progress.json')
}

export function emptyProgress(): Progress {
  return { version: 1, lessons: {} }
}

export interface LoadedProgress {
  progress: Progress
  /** Set when the file exists but cannot be used: one line to show the learner. */
  problem?: string
}

/** Read the progress file. A missing file is no progress; a broken one is reported, never thrown. */
export function loadProgress(file: string): LoadedProgress {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress() }
    return {
      progress: emptyProgress(),
      problem: `Cannot read ${file}: ${(error as Error).message}`,
    }
  }
  const broken = `${file} is damaged, so progress starts afresh (the next test run rewrites it).`
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { progress: emptyProgress(), problem: broken }
  }
  if (!isObject(parsed) || !isObject(parsed.lessons)) {
    return { progress: emptyProgress(), problem: broken }
  }
  // Keep every lesson entry that is an object; a bad `lastTest` alone is dropped, not the file.
  const lessons: Record<string, LessonProgress> = {}
  for (const [slug, entry] of Object.entries(parsed.lessons)) {
    if (!isObject(entry)) continue
    const { lastTest, practice, hintsSeen, ...rest } = entry
    const kept: LessonProgress = { ...rest }
    if (isTestRun(lastTest)) kept.lastTest = lastTest
    if (isPractice(practice)) kept.practice = practice
    if (Number.isInteger(hintsSeen) && (hintsSeen as number) >= 0) {
      kept.hintsSeen = hintsSeen as number
    }
    lessons[slug] = kept
  }
  return { progress: { ...parsed, version: 1, lessons } }
}

/**
 * Write the whole file atomically: a temp file in the same folder, then rename over the old
 * one, so an interrupted write (Ctrl-C, a crash) never leaves half a file behind.
 */
export function saveProgress(file: string, progress: Progress): void {
  mkdirSync(dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`)
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

/** Remember the result of a lesson's test run. Returns the problem line, if the old file was broken. */
export function recordTestRun(
  file: string,
  slug: string,
  exitCode: number,
  at: Date = new Date(),
): string | undefined {
  const run: TestRun = {
    result: exitCode === 0 ? 'passed' : 'failed',
    at: at.toISOString(),
    exitCode,
  }
  return updateLesson(file, slug, (entry) => ({ ...entry, lastTest: run }))
}

/**
 * Read the file, change one lesson's entry, write it back. `change` gets the entry (`{}` when
 * there is none) and returns the new one, or undefined to forget the lesson altogether.
 * Returns the problem line, if the old file was broken (it is replaced by a good one).
 */
export function updateLesson(
  file: string,
  slug: string,
  change: (entry: LessonProgress) => LessonProgress | undefined,
): string | undefined {
  const { progress, problem } = loadProgress(file)
  const next = change({ ...progress.lessons[slug] })
  if (next === undefined) delete progress.lessons[slug]
  else progress.lessons[slug] = next
  saveProgress(file, progress)
  return problem
}

/** The practice state of a lesson: not started unless practice or check said otherwise. */
export function practiceState(entry: LessonProgress | undefined): PracticeState {
  return entry?.practice?.state ?? 'not-started'
}

/** The slug of the lesson being practised: the one marked current most recently. */
export function currentPractice(progress: Progress): string | undefined {
  let best: { slug: string; at: string } | undefined
  for (const [slug, entry] of Object.entries(progress.lessons)) {
    if (entry.practice?.state !== 'current') continue
    const at = entry.practice.startedAt ?? ''
    if (!best || at > best.at) best = { slug, at }
  }
  return best?.slug
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value)
}

const STATES: readonly unknown[] = ['not-started', 'current', 'done'] satisfies PracticeState[]

function isPractice(value: unknown): value is PracticeProgress {
  return isObject(value) && STATES.includes(value.state)
}

function isTestRun(value: unknown): value is TestRun {
  return (
    isObject(value) &&
    (value.result === 'passed' || value.result === 'failed') &&
    typeof value.at === 'string' &&
    !Number.isNaN(Date.parse(value.at)) &&
    typeof value.exitCode === 'number'
  )
}
