import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** A lesson folder such as `lessons/03-validation`, with what its package.json says. */
export interface Lesson {
  /** 3 for `03-validation`. */
  number: number
  /** The folder name, `03-validation`: what the learner sees and types. */
  id: string
  /** The part after the number, `validation`. Stays the same if lessons are renumbered. */
  slug: string
  dir: string
  /** `@kitchen/lesson-03-validation` */
  packageName: string
  /** The lesson title: the `description` field of its package.json. */
  title: string
  scripts: Record<string, string>
  /**
   * Where practice mode starts: the slug of another lesson (package.json `"kitchen":
   * { "practiceFrom": "logout" }`). Left out, it starts from the lesson before.
   */
  practiceFrom?: string
}

const FOLDER = /^(\d{2,})-([a-z0-9][a-z0-9-]*)$/

/** Every lesson in `lessonsDir`, in order. Folders without a package.json are not lessons (yet). */
export function findLessons(lessonsDir: string): Lesson[] {
  if (!existsSync(lessonsDir)) return []
  const lessons: Lesson[] = []
  for (const entry of readdirSync(lessonsDir, { withFileTypes: true })) {
    const match = FOLDER.exec(entry.name)
    // No isDirectory() check: a symlinked lesson folder counts too, and a file has no package.json.
    if (!match) continue
    const dir = join(lessonsDir, entry.name)
    const pkg = readPackageJson(join(dir, 'package.json'))
    if (!pkg) continue
    lessons.push({
      number: Number(match[1]),
      id: entry.name,
      slug: match[2] as string,
      dir,
      packageName: typeof pkg.name === 'string' ? pkg.name : entry.name,
      title: typeof pkg.description === 'string' ? pkg.description : '(no description)',
      scripts: isStringRecord(pkg.scripts) ? pkg.scripts : {},
      practiceFrom: practiceFrom(pkg.kitchen),
    })
  }
  return lessons.sort((a, b) => a.number - b.number)
}

function practiceFrom(kitchen: unknown): string | undefined {
  const from = (kitchen as { practiceFrom?: unknown } | undefined)?.practiceFrom
  return typeof from === 'string' ? from : undefined
}

/**
 * The lesson whose code a practice copy of `lesson` starts from: the one before it, or the one
 * its package.json names (the capstone starts from the last auth lesson's app, not the lesson
 * before it, whose extra packages it does not install).
 */
export function startingPoint(lessons: Lesson[], lesson: Lesson): Lesson | undefined {
  const named = lesson.practiceFrom && lessons.find((one) => one.slug === lesson.practiceFrom)
  return named || lessons[lessons.indexOf(lesson) - 1]
}

/** The learner named a lesson that does not exist; the message lists the ones that do. */
export class UnknownLessonError extends Error {
  constructor(input: string, lessons: Lesson[]) {
    const valid = lessons.length
      ? `The lessons are:\n${lessons.map((lesson) => `  ${lesson.id}`).join('\n')}`
      : 'There are no lessons yet.'
    super(`There is no lesson "${input}". ${valid}`)
    this.name = 'UnknownLessonError'
  }
}

/**
 * Find the lesson the learner means: `3`, `03`, `03-validation` or just `validation`.
 * Throws UnknownLessonError otherwise.
 */
export function resolveLesson(lessons: Lesson[], input: string): Lesson {
  const wanted = input.trim().replace(/\/+$/, '')
  const found = /^\d+$/.test(wanted)
    ? lessons.find((lesson) => lesson.number === Number(wanted))
    : lessons.find((lesson) => lesson.id === wanted || lesson.slug === wanted)
  if (!found) throw new UnknownLessonError(input, lessons)
  return found
}

/** Two digits, the way folders are named: 3 → "03". */
export function lessonNumber(lesson: Pick<Lesson, 'number'>): string {
  return String(lesson.number).padStart(2, '0')
}

function readPackageJson(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    !!value &&
    typeof value === 'object' &&
    Object.values(value).every((item) => typeof item === 'string')
  )
}

/**
 * The lesson whose folder `cwd` is in: `lessons/05-logging/src` is lesson 05, and
 * `playground/05-logging` the learner's copy of it. Undefined anywhere else.
 */
export function lessonAt(
  root: string,
  cwd: string,
  lessons: Lesson[],
): { lesson: Lesson; playground: boolean } | undefined {
  const [group, id] = relative(root, cwd).split(sep)
  if (group !== 'lessons' && group !== 'playground') return undefined
  const lesson = lessons.find((candidate) => candidate.id === id)
  return lesson ? { lesson, playground: group === 'playground' } : undefined
}
