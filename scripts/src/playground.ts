import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import type { Context } from './context.js'
import { keep } from './lesson-files.js'
import { type Lesson, lessonNumber } from './lessons.js'

/**
 * A playground is the learner's own copy of a lesson's starting point:
 *
 *   playground/03-validation/
 *     src/, tsconfig.json …   lesson 02's files: what the learner changes
 *     test/                   lesson 03's tests: the grader
 *     package.json            lesson 03's, renamed @kitchen/playground-03-validation
 *     node_modules            a symlink to lessons/03-validation/node_modules
 *
 * It is not in pnpm-workspace.yaml and installs nothing: lesson 03's node_modules holds exactly
 * the packages lesson 03 needs (tap, tsx, typebox, with-test-database …), and pnpm's links in it
 * are relative to that folder, so they resolve the same through the symlink.
 */
export function playgroundRoot(root: string): string {
  return join(root, 'playground')
}

export function playgroundDir(root: string, lesson: Pick<Lesson, 'id'>): string {
  return join(playgroundRoot(root), lesson.id)
}

/** `playground/03-validation`: how the learner sees it, with forward slashes everywhere. */
export function playgroundLabel(lesson: Pick<Lesson, 'id'>): string {
  return `playground/${lesson.id}`
}

/**
 * The learner's copy of a lesson as something to run (`start --mine`, `conformance --mine`):
 * its folder, its name and the scripts of its package.json; undefined when there is no copy.
 */
export function practiceCopy(
  root: string,
  lesson: Pick<Lesson, 'id'>,
): Pick<Lesson, 'dir' | 'id' | 'scripts'> | undefined {
  const dir = playgroundDir(root, lesson)
  let scripts: unknown
  try {
    scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts
  } catch {
    return undefined // no copy yet, or its package.json is broken
  }
  const valid = scripts && typeof scripts === 'object' ? (scripts as Record<string, string>) : {}
  return { dir, id: playgroundLabel(lesson), scripts: valid }
}

/**
 * What `--mine` commands run: the lesson itself, or with `mine` the learner's copy of it;
 * undefined, after saying how to make one, when there is no copy. `purpose`: "to start".
 */
export function lessonOrCopy(
  ctx: Context,
  lesson: Lesson,
  mine: boolean | undefined,
  purpose: string,
): Pick<Lesson, 'dir' | 'id' | 'scripts'> | undefined {
  if (!mine) return lesson
  const copy = practiceCopy(ctx.root, lesson)
  const number = lessonNumber(lesson)
  if (!copy) {
    ctx.err(
      `You have no copy of lesson ${number} ${purpose}: make one with \`pnpm lesson practice ${number}\`.`,
    )
  }
  return copy
}

/** Files of the earlier lesson that are never copied: the lesson brings its own, or they teach nothing. */
const NOT_COPIED = new Set(['README.md', 'package.json', 'test', 'hints.md'])

/**
 * Write the starting point of `lesson` into `dest` (which must not exist): the files of
 * `previous` (or, for the first lesson, the lesson's own files without its src/), then the
 * lesson's package.json, renamed, and its test/ folder. No node_modules: see linkNodeModules.
 */
export function writeStartingPoint(lesson: Lesson, previous: Lesson | undefined, dest: string) {
  mkdirSync(dest, { recursive: true })
  const from = previous ?? lesson
  for (const entry of readdirSync(from.dir)) {
    if (NOT_COPIED.has(entry) || (!previous && entry === 'src')) continue
    const source = join(from.dir, entry)
    if (!keep(source, from.dir)) continue
    cpSync(source, join(dest, entry), {
      recursive: true,
      filter: (path) => keep(path, from.dir),
    })
  }
  if (!previous) mkdirSync(join(dest, 'src'), { recursive: true })
  const testDir = join(lesson.dir, 'test')
  if (existsSync(testDir)) {
    cpSync(testDir, join(dest, 'test'), {
      recursive: true,
      filter: (path) => keep(path, lesson.dir),
    })
  }
  writeFileSync(join(dest, 'package.json'), playgroundPackageJson(lesson))
}

/** The lesson's package.json with the playground's name: same scripts, same dependencies. */
export function playgroundPackageJson(lesson: Lesson): string {
  const text = readFileSync(join(lesson.dir, 'package.json'), 'utf8')
  const pkg = JSON.parse(text) as Record<string, unknown>
  pkg.name = `@kitchen/playground-${lesson.id}`
  pkg.description = `Your copy of lesson ${lesson.id}: ${lesson.title}`
  return `${JSON.stringify(pkg, null, 2)}\n`
}

/**
 * `dest/node_modules` → the lesson's node_modules, as a relative link (the repository can
 * move). Windows gets a junction, which needs no special rights but an absolute path.
 * Returns false when the lesson has no node_modules yet (nothing installed).
 */
export function linkNodeModules(lesson: Lesson, dest: string): boolean {
  const target = join(lesson.dir, 'node_modules')
  if (!existsSync(target)) return false
  const link = join(dest, 'node_modules')
  rmSync(link, { recursive: true, force: true })
  if (process.platform === 'win32') symlinkSync(resolve(target), link, 'junction')
  else symlinkSync(relative(dest, target), link, 'dir')
  return true
}

/** Every file under `dir` that a lesson is made of (no node_modules, .tap …), with its content. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry)
      if (!keep(path, dir)) continue
      const stat = lstatSync(path)
      if (stat.isDirectory()) walk(path)
      else if (stat.isFile())
        files.set(relative(dir, path).split(sep).join('/'), readFileSync(path))
    }
  }
  if (existsSync(dir)) walk(dir)
  return files
}

/**
 * The files in the playground that differ from a fresh starting point: changed, added or
 * deleted. Empty when the learner has not touched it (or has undone every change).
 */
export function changedFromFresh(
  lesson: Lesson,
  previous: Lesson | undefined,
  dir: string,
): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'kitchen-fresh-'))
  try {
    const fresh = join(scratch, lesson.id)
    writeStartingPoint(lesson, previous, fresh)
    const want = snapshot(fresh)
    const have = snapshot(dir)
    const changed = new Set<string>()
    for (const [path, content] of have) {
      const expected = want.get(path)
      if (!expected?.equals(content)) changed.add(path)
    }
    for (const path of want.keys()) if (!have.has(path)) changed.add(path)
    return [...changed].sort()
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Copy the playground (without node_modules) to `playground/.backup/<id>-<timestamp>/`. */
export function backUp(root: string, lesson: Pick<Lesson, 'id'>, now = new Date()): string {
  const dir = playgroundDir(root, lesson)
  const stamp = now.toISOString().replace(/\..*$/, '').replaceAll(':', '-')
  let backup = join(playgroundRoot(root), '.backup', `${lesson.id}-${stamp}`)
  for (let n = 2; existsSync(backup); n++) {
    backup = join(playgroundRoot(root), '.backup', `${lesson.id}-${stamp}-${n}`)
  }
  mkdirSync(backup, { recursive: true })
  cpSync(dir, backup, {
    recursive: true,
    filter: (path) =>
      path === dir || !['node_modules', '.tap'].includes(path.split(sep).pop() ?? ''),
  })
  return backup
}
