import { type Context, paint } from '../context.js'
import { findLessons, lessonNumber } from '../lessons.js'
import {
  type LessonProgress,
  loadProgress,
  practiceState,
  progressFile,
  type TestRun,
} from '../progress.js'

/**
 * `pnpm lesson list`: every lesson, its title, where the learner is with it in practice mode
 * (done, current, or not started) and how the lesson's own tests last ran.
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
    const status = describeRun(ctx, entry?.lastTest)
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

function describeRun(ctx: Context, run: TestRun | undefined): string {
  if (!run) return paint(ctx, 'dim', 'not run')
  const when = paint(ctx, 'dim', formatDate(new Date(run.at)))
  return run.result === 'passed'
    ? `${paint(ctx, 'green', 'passed')}   ${when}`
    : `${paint(ctx, 'red', 'failed')}   ${when}`
}

/** `2025-11-25 16:40` in the learner's own time zone: short, and sorts like it reads. */
export function formatDate(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
}
