import { type Context, paint } from '../context.js'
import { findLessons, lessonNumber } from '../lessons.js'
import { loadProgress, progressFile, type TestRun } from '../progress.js'

/** `pnpm lesson list`: every lesson, its title and how its last test run went. */
export function listCommand(ctx: Context): number {
  const lessons = findLessons(ctx.lessonsDir)
  if (lessons.length === 0) {
    ctx.err(`No lessons found in ${ctx.lessonsDir}.`)
    return 1
  }
  const { progress, problem } = loadProgress(progressFile(ctx.root))
  if (problem) ctx.err(paint(ctx, 'yellow', problem))

  const width = Math.max(...lessons.map((lesson) => lesson.title.length))
  for (const lesson of lessons) {
    const status = describeRun(ctx, progress.lessons[lesson.slug]?.lastTest)
    ctx.out(
      `  ${paint(ctx, 'bold', lessonNumber(lesson))}  ${lesson.title.padEnd(width)}  ${status}`,
    )
  }
  ctx.out('')
  ctx.out(
    paint(
      ctx,
      'dim',
      'Start one with `pnpm lesson start NN`, check it with `pnpm lesson test NN`.',
    ),
  )
  return 0
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
