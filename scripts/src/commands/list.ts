import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { type Context, paint } from '../context.js'
import { findLessons, lessonNumber } from '../lessons.js'
import {
  type LessonProgress,
  loadProgress,
  practiceState,
  progressFile,
  type TestRun,
} from '../progress.js'
import { lastFullRun, readTestResults } from '../tap-results.js'

/**
 * `pnpm lesson list`: every lesson, its title, where the learner is with it in practice mode
 * (done, current, or not started) and how the lesson's own tests last ran: in `pnpm test`,
 * `pnpm lesson test` or `pnpm lesson verify`.
 */
export function listCommand(ctx: Context): number {
  const lessons = findLessons(ctx.lessonsDir)
  if (lessons.length === 0) {
    ctx.err(`No lessons found in ${ctx.lessonsDir}.`)
    return 1
  }
  const { progress, problem } = loadProgress(progressFile(ctx.root))
  if (problem) ctx.err(paint(ctx, 'yellow', problem))

  const width = Math.max(...lessons.map((lesson) => lesson.title.length))
  ctx.out(paint(ctx, 'dim', `      ${'lesson'.padEnd(width)}  ${'practice'.padEnd(11)}  tests`))
  for (const lesson of lessons) {
    const entry = progress.lessons[lesson.slug]
    const status = describeRun(ctx, newestRun(entry?.lastTest, lastResults(lesson.dir)))
    ctx.out(
      `  ${paint(ctx, 'bold', lessonNumber(lesson))}  ${lesson.title.padEnd(width)}  ${describePractice(ctx, entry)}  ${status}`,
    )
  }
  ctx.out('')
  ctx.out(
    paint(
      ctx,
      'dim',
      'Start one with `pnpm lesson start NN`, check it with `pnpm lesson test NN`.\nWrite it yourself: `pnpm lesson practice NN`, then `pnpm lesson check NN`.',
    ),
  )
  return 0
}

/** "done", "current" or "not started", padded to one width so the columns line up. */
function describePractice(ctx: Context, entry: LessonProgress | undefined): string {
  const state = practiceState(entry)
  const width = 11
  if (state === 'done') return paint(ctx, 'green', '✔ done'.padEnd(width))
  if (state === 'current') return paint(ctx, 'yellow', '▶ current'.padEnd(width))
  return paint(ctx, 'dim', 'not started'.padEnd(width))
}

/** A test run as list shows it: from progress (`pnpm lesson test`), or from tap's own results. */
interface Run {
  result: 'passed' | 'failed'
  at: string
  /** Behaviours that passed and failed, when tap's results say. */
  counts?: { passed: number; failed: number }
}

/**
 * What the lesson's last test run left in `.tap/test-results` (tap writes it on every run,
 * `pnpm test`, `pnpm lesson test` or `pnpm tap` in the lesson alike): the behaviours that
 * passed and failed, and when. Results of test files that no longer exist do not count.
 */
export function lastResults(lessonDir: string): Run | undefined {
  const dir = join(lessonDir, '.tap', 'test-results')
  let passed = 0
  let failed = 0
  let newest = 0
  let files = 0
  for (const result of lastFullRun(readTestResults(lessonDir))) {
    const source = join(lessonDir, result.file)
    if (!existsSync(source)) continue
    files++
    newest = Math.max(newest, statSync(join(dir, `${result.file}.tap`)).mtimeMs)
    if (result.crashed) failed++
    for (const behaviour of result.behaviours) {
      if (behaviour.skipped) continue
      if (behaviour.ok) passed++
      else failed++
    }
  }
  if (files === 0) return undefined
  return {
    result: failed === 0 ? 'passed' : 'failed',
    at: new Date(newest).toISOString(),
    counts: { passed, failed },
  }
}

/** The newer of the two; tap's results when they are as new (they have the counts). */
function newestRun(recorded: TestRun | undefined, results: Run | undefined): Run | undefined {
  if (!recorded) return results
  if (!results) return recorded
  // `pnpm lesson test` records its run just after tap wrote its results: the same run.
  const sameRun = Date.parse(results.at) >= Date.parse(recorded.at) - 60_000
  if (!sameRun) return recorded
  return recorded.result === 'failed' && Date.parse(recorded.at) >= Date.parse(results.at)
    ? { ...results, result: 'failed' }
    : results
}

function describeRun(ctx: Context, run: Run | undefined): string {
  if (!run) return paint(ctx, 'dim', 'not run')
  const when = paint(ctx, 'dim', formatDate(new Date(run.at)))
  const counts = run.counts
  const detail = !counts
    ? ''
    : counts.failed === 0
      ? paint(ctx, 'dim', `  ${counts.passed} behaviours`)
      : paint(ctx, 'dim', `  ${counts.failed} of ${counts.passed + counts.failed} fail`)
  return run.result === 'passed'
    ? `${paint(ctx, 'green', 'passed')}   ${when}${detail}`
    : `${paint(ctx, 'red', 'failed')}   ${when}${detail}`
}

/** `2025-11-25 16:40` in the learner's own time zone: short, and sorts like it reads. */
export function formatDate(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
}
