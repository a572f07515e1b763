import { existsSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { type Context, paint } from '../context.js'
import { lessonGoal } from '../hints.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson, startingPoint } from '../lessons.js'
import {
  backUp,
  changedFromFresh,
  linkNodeModules,
  playgroundDir,
  playgroundLabel,
  writeStartingPoint,
} from '../playground.js'
import { progressFile, updateLesson } from '../progress.js'
import { diffLessons } from './diff.js'

/**
 * `pnpm lesson practice <n> [--force]`: make `playground/NN-name/`, the starting point of
 * lesson n (lesson n-1's code with lesson n's tests and package.json), say what to change,
 * and mark the lesson current. A copy with work in it is never overwritten without --force,
 * and then it is backed up first.
 */
export async function practiceCommand(
  ctx: Context,
  input: string,
  options: { force: boolean },
): Promise<number> {
  const lessons = findLessons(ctx.lessonsDir)
  const lesson = resolveLesson(lessons, input)
  const previous = startingPoint(lessons, lesson)
  const number = lessonNumber(lesson)
  const dir = playgroundDir(ctx.root, lesson)
  const label = playgroundLabel(lesson)

  if (!existsSync(join(lesson.dir, 'node_modules'))) {
    ctx.err(
      `Lesson ${lesson.id} has no node_modules yet: run \`pnpm install\` in the repository root first.`,
    )
    return 1
  }

  if (existsSync(dir)) {
    const changed = changedFromFresh(lesson, previous, dir)
    if (changed.length > 0 && !options.force) {
      const shown = changed.slice(0, 10).map((file) => `  ${file}`)
      if (changed.length > shown.length) shown.push(`  … and ${changed.length - shown.length} more`)
      ctx.err(
        [
          `${label} already has your work in it (these files differ from a fresh copy):`,
          ...shown,
          '',
          `Carry on with \`pnpm lesson check ${number}\`, or start afresh with \`pnpm lesson practice ${number} --force\``,
          `(your copy is backed up to ${relative(ctx.root, join(ctx.root, 'playground', '.backup'))}/ first).`,
        ].join('\n'),
      )
      return 1
    }
    if (changed.length > 0) {
      const backup = backUp(ctx.root, lesson)
      ctx.out(paint(ctx, 'yellow', `Your copy is backed up in ${relative(ctx.root, backup)}/.`))
    }
    rmSync(dir, { recursive: true, force: true })
  }

  writeStartingPoint(lesson, previous, dir)
  linkNodeModules(lesson, dir)
  const problem = updateLesson(progressFile(ctx.root), lesson.slug, (entry) => ({
    ...entry,
    practice: { state: 'current', startedAt: new Date().toISOString() },
  }))
  if (problem) ctx.err(paint(ctx, 'yellow', problem))

  ctx.out(paint(ctx, 'bold', `Lesson ${number}: ${lesson.title}`))
  ctx.out('')
  ctx.out(
    previous
      ? `${label} is your copy of lesson ${previous.id}, with lesson ${number}'s tests: they fail until you add what lesson ${number} teaches.`
      : `${label} has lesson ${number}'s tests and set-up, and an empty src/ for you to fill.`,
  )
  const goal = lessonGoal(lesson)
  if (goal) {
    ctx.out('')
    ctx.out(goal)
  }
  const files = await filesToChange(lesson, previous)
  if (files.length) {
    ctx.out('')
    ctx.out(paint(ctx, 'bold', `The files lesson ${number} changes:`))
    for (const line of files) ctx.out(`  ${line}`)
  }
  ctx.out('')
  ctx.out(paint(ctx, 'bold', 'Next:'))
  ctx.out(`  pnpm lesson check ${number}     run the tests against your copy (a ✔/✘ checklist)`)
  ctx.out(`  pnpm lesson watch ${number}     the same, again on every save`)
  ctx.out(`  pnpm lesson hint ${number}      one hint at a time (--all for every hint)`)
  ctx.out(`  pnpm lesson readme ${number}    the lesson's README, if you want the whole story`)
  return 0
}

/** `new  src/todos/schemas.ts`: what lesson n changed in lesson n-1's code (not its tests). */
export async function filesToChange(lesson: Lesson, previous: Lesson | undefined) {
  if (!previous) return ['new       src/app.ts and the rest of src/ (see the lesson README)']
  const output = await diffLessons(previous, lesson, {
    stat: false,
    color: false,
    nameStatus: true,
    // screenshot.png: a picture the browser tests take (lesson 22 on), not something to write.
    leaveOut: ['README.md', 'hints.md', 'package.json', 'test', 'screenshot.png'],
  })
  const words: Record<string, string> = { A: 'new', M: 'changed', D: 'deleted', R: 'renamed' }
  return output
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [status = '', ...paths] = line.split('\t')
      return `${(words[status[0] ?? ''] ?? status).padEnd(8)}  ${paths.join(' → ')}`
    })
}
