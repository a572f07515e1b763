import { type Context, paint } from '../context.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson } from '../lessons.js'
import { progressFile, recordTestRun } from '../progress.js'
import { runLessonScript } from '../run.js'

/** `pnpm lesson test <n>`: run the lesson's tests, remember the result, pass on the exit code. */
export async function testCommand(ctx: Context, input: string): Promise<number> {
  const lesson = resolveLesson(findLessons(ctx.lessonsDir), input)
  const code = await testLesson(ctx, lesson)
  const name = `Lesson ${lessonNumber(lesson)}`
  if (code === 0) ctx.out(paint(ctx, 'green', `${name} passes.`))
  else if (!interrupted(code)) ctx.out(paint(ctx, 'red', `${name} fails (exit code ${code}).`))
  return code
}

/**
 * Run one lesson's `test` script (`tap`, or `with-test-database tap` once there is a database)
 * and record the result. A run stopped with Ctrl-C is neither a pass nor a failure: not recorded.
 */
export async function testLesson(ctx: Context, lesson: Lesson): Promise<number> {
  ctx.out(paint(ctx, 'bold', `Testing lesson ${lessonNumber(lesson)}: ${lesson.title}`))
  const code = await runLessonScript(lesson, 'test', ctx)
  if (!interrupted(code)) {
    const problem = recordTestRun(progressFile(ctx.root), lesson.slug, code)
    if (problem) ctx.err(paint(ctx, 'yellow', problem))
  }
  return code
}

/** 130 is SIGINT (Ctrl-C), 143 SIGTERM: see exitCodeOf in run.ts. */
function interrupted(code: number): boolean {
  return code === 130 || code === 143
}
