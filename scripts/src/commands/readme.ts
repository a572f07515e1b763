import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Context, paint } from '../context.js'
import { findLessons, lessonNumber, resolveLesson } from '../lessons.js'

/** `pnpm lesson readme <n>`: the lesson's README, lightly formatted for a terminal. */
export function readmeCommand(ctx: Context, input: string): number {
  const lesson = resolveLesson(findLessons(ctx.lessonsDir), input)
  let text: string
  try {
    text = readFileSync(join(lesson.dir, 'README.md'), 'utf8')
  } catch {
    ctx.err(`Lesson ${lessonNumber(lesson)} has no README.md yet.`)
    return 1
  }
  ctx.out(ctx.color ? formatMarkdown(ctx, text) : text.trimEnd())
  return 0
}

/**
 * Just enough Markdown for a terminal: headings stand out, code blocks step back, and the
 * invisible HTML comments stay invisible. Everything else is printed as written.
 */
export function formatMarkdown(ctx: Pick<Context, 'color'>, text: string): string {
  const lines: string[] = []
  let inCode = false
  for (const line of text.trimEnd().split('\n')) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode
      lines.push(paint(ctx, 'dim', line))
    } else if (inCode) {
      lines.push(paint(ctx, 'dim', line))
    } else if (/^\s*<!--.*-->\s*$/.test(line)) {
      // skip: a marker for tools, not for readers
    } else if (/^#{1,6}\s/.test(line)) {
      const title = line.replace(/^#+\s+/, '')
      lines.push(
        paint(ctx, line.startsWith('# ') ? ['bold', 'underline', 'cyan'] : ['bold', 'cyan'], title),
      )
    } else {
      lines.push(line.replace(/`([^`]+)`/g, (_, code: string) => paint(ctx, 'yellow', code)))
    }
  }
  return lines.join('\n')
}
