import { type Context, paint } from '../context.js'
import { readHints } from '../hints.js'
import { lessonNumber } from '../lessons.js'
import { loadProgress, progressFile, updateLesson } from '../progress.js'
import { practiceLesson } from './check.js'
import { formatMarkdown } from './readme.js'

/**
 * `pnpm lesson hint [n] [--all]`: the next hint the learner has not seen yet, "N of M"; once
 * all are seen, the last one again. `--all` shows every hint (and counts them all as seen).
 */
export function hintCommand(ctx: Context, input: string | undefined, options: { all: boolean }) {
  const lesson = practiceLesson(ctx, input, 'hint')
  if (typeof lesson === 'number') return lesson
  const number = lessonNumber(lesson)
  const hints = readHints(lesson)?.hints ?? []
  if (hints.length === 0) {
    ctx.err(
      `Lesson ${number} has no hints yet. Its README explains the change: \`pnpm lesson readme ${number}\`, and \`pnpm lesson diff ${number}\` shows it.`,
    )
    return 1
  }
  const file = progressFile(ctx.root)
  const { progress, problem } = loadProgress(file)
  if (problem) ctx.err(paint(ctx, 'yellow', problem))
  const seen = Math.min(progress.lessons[lesson.slug]?.hintsSeen ?? 0, hints.length)
  const total = hints.length

  const show = (index: number) => {
    const hint = hints[index]
    if (!hint) return
    ctx.out(
      paint(
        ctx,
        ['bold', 'cyan'],
        `Lesson ${number}, hint ${index + 1} of ${total}: ${hint.title.replace(/^Hint\s+\d+\s*[:.—–-]?\s*/i, '')}`.replace(
          /:\s*$/,
          '',
        ),
      ),
    )
    ctx.out(formatMarkdown(ctx, hint.body))
  }

  let nowSeen: number
  if (options.all) {
    hints.forEach((_, index) => {
      if (index > 0) ctx.out('')
      show(index)
    })
    nowSeen = total
  } else if (seen < total) {
    show(seen)
    nowSeen = seen + 1
    ctx.out('')
    ctx.out(
      paint(
        ctx,
        'dim',
        nowSeen < total
          ? `Still stuck? \`pnpm lesson hint ${number}\` shows hint ${nowSeen + 1} of ${total}.`
          : `That was the last hint. \`pnpm lesson diff ${number}\` shows the whole answer.`,
      ),
    )
  } else {
    ctx.out(paint(ctx, 'dim', `You have seen all ${total} hints; here is the last one again.`))
    show(total - 1)
    nowSeen = total
    ctx.out('')
    ctx.out(paint(ctx, 'dim', `\`pnpm lesson hint ${number} --all\` shows every hint.`))
  }
  const again = updateLesson(file, lesson.slug, (entry) => ({ ...entry, hintsSeen: nowSeen }))
  if (again && !problem) ctx.err(paint(ctx, 'yellow', again))
  return 0
}
