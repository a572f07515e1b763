import { existsSync } from 'node:fs'
import { type Context, paint } from '../context.js'
import { findLessons, lessonNumber, resolveLesson } from '../lessons.js'
import { playgroundDir, playgroundLabel } from '../playground.js'
import { loadProgress, practiceState, progressFile, updateLesson } from '../progress.js'

/**
 * `pnpm lesson reset <n>`: forget everything progress knows about lesson n (practice state,
 * hints seen, last test results). The playground copy stays: the learner's code is theirs.
 */
export function resetCommand(ctx: Context, input: string): number {
  const lesson = resolveLesson(findLessons(ctx.lessonsDir), input)
  const number = lessonNumber(lesson)
  const file = progressFile(ctx.root)
  const { progress, problem } = loadProgress(file)
  if (problem) ctx.err(paint(ctx, 'yellow', problem))
  const entry = progress.lessons[lesson.slug]
  const cleared: string[] = []
  if (entry?.practice) cleared.push(`practice state (${practiceState(entry)})`)
  if (entry?.hintsSeen)
    cleared.push(`${entry.hintsSeen} hint${entry.hintsSeen === 1 ? '' : 's'} seen`)
  if (entry?.lastTest) cleared.push(`last test result (${entry.lastTest.result})`)
  if (entry) updateLesson(file, lesson.slug, () => undefined)

  ctx.out(
    cleared.length
      ? `Cleared lesson ${number}'s progress: ${cleared.join(', ')}.`
      : entry
        ? `Cleared lesson ${number}'s progress.`
        : `Lesson ${number} had no progress to clear.`,
  )
  const dir = playgroundDir(ctx.root, lesson)
  if (existsSync(dir)) {
    const label = playgroundLabel(lesson)
    ctx.out(
      `Your copy in ${label} is untouched: start afresh with \`pnpm lesson practice ${number} --force\` (it backs your copy up first), or delete it with \`rm -rf ${label}\`.`,
    )
  }
  return 0
}
