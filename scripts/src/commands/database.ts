import { type Context, paint } from '../context.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson } from '../lessons.js'
import { runLessonScript } from '../run.js'

export const DIRECTIONS = ['latest', 'up', 'down'] as const

/** `pnpm lesson migrate <n> <latest|up|down>`: the lesson's own `migrate` script, with the direction. */
export function migrateCommand(ctx: Context, input: string, direction: string): Promise<number> {
  const lessons = findLessons(ctx.lessonsDir)
  const lesson = resolveLesson(lessons, input)
  if (!(DIRECTIONS as readonly string[]).includes(direction)) {
    ctx.err(
      `"${direction}" is not a direction: use latest (every migration not run yet), up (the next one) or down (undo the last one), as in \`pnpm lesson migrate ${lessonNumber(lesson)} latest\`.`,
    )
    return Promise.resolve(1)
  }
  if (!lesson.scripts.migrate) {
    ctx.err(missing(lesson, lessons, 'migrate', 'has no database migrations'))
    return Promise.resolve(1)
  }
  ctx.out(paint(ctx, 'bold', `Lesson ${lessonNumber(lesson)}: migrate ${direction}`))
  return runLessonScript(lesson, 'migrate', ctx, undefined, [direction])
}

/** `pnpm lesson seed <n>`: the lesson's own `seed` script. */
export function seedCommand(ctx: Context, input: string): Promise<number> {
  const lessons = findLessons(ctx.lessonsDir)
  const lesson = resolveLesson(lessons, input)
  if (!lesson.scripts.seed) {
    ctx.err(missing(lesson, lessons, 'seed', 'has no seed data'))
    return Promise.resolve(1)
  }
  ctx.out(paint(ctx, 'bold', `Lesson ${lessonNumber(lesson)}: seed`))
  return runLessonScript(lesson, 'seed', ctx)
}

/** "lesson 03 has no database migrations: they start in lesson 09" */
function missing(lesson: Lesson, lessons: Lesson[], script: string, what: string): string {
  const first = lessons.find((candidate) => candidate.scripts[script])
  const where =
    first && first.number > lesson.number
      ? `they start in lesson ${lessonNumber(first)}`
      : first
        ? `lesson ${lessonNumber(first)} has them`
        : 'they start in a later lesson'
  return `Lesson ${lessonNumber(lesson)} ${what}: ${where}.`
}
