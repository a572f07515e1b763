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
 * renumbering. Each lesson's entry is an object so later features add fields next to
 * `lastTest`: practice mode will add `"practice": { "state": "current" }` (see PracticeState).
 * Fields this version does not know are kept when the file is rewritten.
 */
export interface Progress {
  version: 1
  lessons: Record<string, LessonProgress>
}

export interface LessonProgress {
  lastTest?: TestRun
  /** Reserved for practice mode; nothing writes it yet. */
  practice?: { state: PracticeState }
  [field: string]: unknown
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
    const { lastTest, ...rest } = entry
    lessons[slug] = isTestRun(lastTest) ? { ...rest, lastTest } : rest
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
  const { progress, problem } = loadProgress(file)
  const run: TestRun = {
    result: exitCode === 0 ? 'passed' : 'failed',
    at: at.toISOString(),
    exitCode,
  }
  progress.lessons[slug] = { ...progress.lessons[slug], lastTest: run }
  saveProgress(file, progress)
  return problem
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value)
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
