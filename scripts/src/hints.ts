import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Lesson } from './lessons.js'

/**
 * A lesson's `hints.md`:
 *
 *   <!-- practise -->
 *   In this lesson you write … (what to change, and in which files)
 *
 *   ## Hint 1: a nudge
 *   …
 *   ## Hint 2: …
 *
 * The paragraph before the first `## Hint` is the goal `practice` prints; each `## Hint`
 * section is one hint, shown one at a time by `pnpm lesson hint`.
 */
export interface Hints {
  /** The text before the first hint, without HTML comments. Empty if there is none. */
  intro: string
  hints: Hint[]
}

export interface Hint {
  /** The heading without its `## `: "Hint 1: a nudge". */
  title: string
  body: string
}

const HINT_HEADING = /^##\s+(Hint\b.*)$/i

export function parseHints(text: string): Hints {
  const intro: string[] = []
  const hints: Hint[] = []
  let current: { title: string; lines: string[] } | undefined
  const finish = () => {
    if (current) hints.push({ title: current.title, body: current.lines.join('\n').trim() })
  }
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const heading = HINT_HEADING.exec(line)
    if (heading) {
      finish()
      current = { title: (heading[1] as string).trim(), lines: [] }
    } else if (current) {
      current.lines.push(line)
    } else {
      intro.push(line)
    }
  }
  finish()
  return {
    intro: intro
      .join('\n')
      .replace(/<!--[\s\S]*?-->/g, '')
      .trim(),
    hints,
  }
}

/** The lesson's hints, or undefined when it has no hints.md. */
export function readHints(lesson: Pick<Lesson, 'dir'>): Hints | undefined {
  try {
    return parseHints(readFileSync(join(lesson.dir, 'hints.md'), 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * What the learner is about to do: the intro of hints.md, or else the README's first paragraph
 * after its title ("After this lesson you can …").
 */
export function lessonGoal(lesson: Pick<Lesson, 'dir'>): string | undefined {
  const intro = readHints(lesson)?.intro
  if (intro) return intro
  let readme: string
  try {
    readme = readFileSync(join(lesson.dir, 'README.md'), 'utf8')
  } catch {
    return undefined
  }
  const paragraph: string[] = []
  for (const line of readme.replace(/\r\n/g, '\n').split('\n')) {
    if (/^#/.test(line) || /^\s*<!--.*-->\s*$/.test(line)) {
      if (paragraph.length) break
      continue
    }
    if (line.trim() === '') {
      if (paragraph.length) break
      continue
    }
    paragraph.push(line)
  }
  return paragraph.length ? paragraph.join('\n') : undefined
}
