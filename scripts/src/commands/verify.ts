import { type Context, paint } from '../context.js'
import { findLessons, lessonNumber } from '../lessons.js'
import { testLesson } from './test.js'

/**
 * `pnpm lesson verify`: test every lesson in order and stop at the first that fails, since a
 * lesson builds on the one before it: that first failure is the one to work on.
 */
export async function verifyCommand(ctx: Context): Promise<number> {
  const lessons = findLessons(ctx.lessonsDir)
  if (lessons.length === 0) {
    ctx.err(`No lessons found in ${ctx.lessonsDir}.`)
    return 1
  }
  for (const lesson of lessons) {
    const code = await testLesson(ctx, lesson)
    if (code !== 0) {
      const number = lessonNumber(lesson)
      ctx.out('')
      ctx.out(
        paint(
          ctx,
          'red',
          `Lesson ${number} (${lesson.title}) fails: work on it with \`pnpm lesson test ${number}\``,
        ),
      )
      return code
    }
    ctx.out('')
  }
  ctx.out(paint(ctx, 'green', `All ${lessons.length} lessons pass.`))
  return 0
}
