import { type Context, paint } from '../context.js'
import { findLessons, type Lesson, lessonNumber } from '../lessons.js'
import { lessonOrCopy } from '../playground.js'
import { runLessonScript } from '../run.js'

/**
 * The capstone: the last lesson with a `conformance` script in its package.json. Found by
 * what it has, not by its number, which changes when lessons are added before it.
 */
export function findCapstone(lessons: Lesson[]): Lesson | undefined {
  return lessons.filter((lesson) => lesson.scripts.conformance !== undefined).at(-1)
}

/**
 * `pnpm lesson conformance [--mine]`: run RealWorld's official API suite against the capstone
 * (or, with --mine, against the learner's practice copy of it). The capstone's own
 * `conformance` script does the work: it starts the app on a free port with a fresh database
 * and runs the official Postman collection with newman, which prints its report. The exit
 * code is the script's: 0 when every request and every assertion passed.
 */
export async function conformanceCommand(
  ctx: Context,
  options: { mine?: boolean } = {},
): Promise<number> {
  const capstone = findCapstone(findLessons(ctx.lessonsDir))
  if (!capstone) {
    ctx.err('No lesson has an official suite to run (a "conformance" script in its package.json).')
    return 1
  }
  const number = lessonNumber(capstone)
  const target = lessonOrCopy(ctx, capstone, options.mine, 'to check')
  if (!target) return 1
  const whose = options.mine ? `your copy of lesson ${number} (${target.id})` : `lesson ${number}`
  ctx.out(paint(ctx, 'bold', `RealWorld's official API suite against ${whose}: ${capstone.title}`))
  return runLessonScript(target, 'conformance', ctx)
}
