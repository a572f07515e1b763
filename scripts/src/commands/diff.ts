import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { type Context, paint } from '../context.js'
import { keep } from '../lesson-files.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson, startingPoint } from '../lessons.js'
import { playgroundDir, playgroundLabel } from '../playground.js'
import { capture } from '../run.js'

/** package.json fields that differ between every pair of lessons and say nothing about the concept. */
const IDENTITY_FIELDS = ['name', 'description', 'version']

export interface DiffOptions {
  stat: boolean
  /** Compare the learner's playground copy of lesson n with lesson n itself. */
  mine?: boolean
  /** Include README.md and hints.md. Left out by default: every lesson rewrites them. */
  readme: boolean
  /** Only src/ (`--src`), or only test/ (`--tests`): the code without the test churn, or the tests alone. */
  only?: 'src' | 'test'
}

/**
 * `pnpm lesson diff <n> [m]`: what lesson n changed compared with the lesson it starts from
 * (the one before it, see startingPoint) or with lesson m. Always exits 0 when the diff could be
 * made, differences or not.
 */
export async function diffCommand(
  ctx: Context,
  newInput: string,
  oldInput: string | undefined,
  options: DiffOptions,
): Promise<number> {
  const lessons = findLessons(ctx.lessonsDir)
  const after = resolveLesson(lessons, newInput)
  let before: DiffSide | undefined
  if (options.mine) {
    if (oldInput !== undefined) {
      ctx.err('`--mine` compares your copy with lesson n: give only one lesson.')
      return 1
    }
    const dir = playgroundDir(ctx.root, after)
    if (!existsSync(dir)) {
      ctx.err(
        `You have no copy of lesson ${after.id} to compare: start one with \`pnpm lesson practice ${lessonNumber(after)}\`.`,
      )
      return 1
    }
    before = { id: playgroundLabel(after), dir }
  } else if (oldInput === undefined) {
    before = startingPoint(lessons, after)
    if (!before) {
      ctx.err(
        `Lesson ${after.id} is the first lesson, so there is nothing before it to compare with. Compare two lessons with \`pnpm lesson diff 02 01\`.`,
      )
      return 1
    }
  } else {
    before = resolveLesson(lessons, oldInput)
  }

  const result = await diffLessons(before, after, {
    stat: options.stat,
    color: ctx.color,
    leaveOut: options.readme ? [] : ['README.md', 'hints.md'],
    only: options.only ? [options.only] : undefined,
    // Your copy is formatted your way: format both sides as the repository does, so the
    // diff shows what the code does differently, not where lines wrap.
    format: options.mine ? ctx.root : undefined,
  })
  const readmeNote = options.only
    ? ` (only ${options.only}/)`
    : options.readme
      ? ''
      : ' (README.md left out: add --readme to see it)'
  if (result.trim() === '') {
    ctx.out(
      options.mine
        ? `Your copy (${before.id}) and lesson ${after.id} have the same files${readmeNote}.`
        : `Lessons ${before.id} and ${after.id} have the same files${readmeNote}.`,
    )
  } else if (options.mine) {
    ctx.out(
      paint(ctx, 'bold', `What lesson ${after.id} does differently from your copy${readmeNote}:`),
    )
    ctx.out(result.trimEnd())
  } else {
    ctx.out(paint(ctx, 'bold', `What ${after.id} changed compared with ${before.id}${readmeNote}:`))
    ctx.out(result.trimEnd())
  }
  return 0
}

/** One side of a diff: a lesson, or any folder laid out like one (a playground copy). */
export type DiffSide = Pick<Lesson, 'id' | 'dir'>

/**
 * Copy both lessons (without generated files) into a scratch git repository, snapshot each one
 * as a tree, and let git compare the trees. Compared with `git diff --no-index` on the two
 * folders, paths read `src/app.ts` instead of `{02-rest => 03-validation}/src/app.ts`, and
 * the lesson ids still show up, as the a/ and b/ prefixes. `nameStatus` gives one line per
 * changed file instead (`M\tsrc/app.ts`); `leaveOut` names top-level files or folders to skip.
 */
export async function diffLessons(
  before: DiffSide,
  after: DiffSide,
  options: {
    stat: boolean
    color: boolean
    leaveOut?: string[]
    nameStatus?: boolean
    /** Keep only these top-level folders or files (`['src']`). */
    only?: string[]
    /** The repository root: format both sides with its biome settings before comparing. */
    format?: string
  },
): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'kitchen-diff-'))
  const work = join(scratch, 'work')
  // Our own git settings only: a learner's pager, external diff tool or colours stay out of it.
  const git = async (...args: string[]) => {
    const result = await capture(
      'git',
      [
        `--git-dir=${join(scratch, 'git')}`,
        `--work-tree=${work}`,
        '-c',
        'core.autocrlf=false',
        ...args,
      ],
      scratch,
      { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_PAGER: 'cat' },
    )
    if (result.code !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr.trim()}`)
    return result.stdout
  }
  try {
    await git('init', '--quiet')
    // Top-level files to leave out of both sides, so they show up as neither changed nor deleted.
    const leaveOut = [...(options.leaveOut ?? [])]
    if (sameApartFromIdentity(before, after)) leaveOut.push('package.json')
    const identity = readIdentity(after)
    const trees: string[] = []
    for (const lesson of [before, after]) {
      rmSync(work, { recursive: true, force: true })
      mkdirSync(work)
      // The real folder: a symlinked lesson folder would be copied as the link itself.
      const dir = realpathSync(lesson.dir)
      cpSync(dir, work, { recursive: true, filter: (source) => keep(source, dir) })
      for (const file of leaveOut) rmSync(join(work, file), { recursive: true, force: true })
      if (options.only) {
        for (const entry of readdirSync(work)) {
          if (!options.only.includes(entry)) rmSync(join(work, entry), { recursive: true })
        }
      }
      if (options.format) await formatLikeTheRepository(options.format, scratch, work)
      // Give the older package.json the newer one's name and title, so its diff shows only
      // what really changed (a dependency, a script) and not the renaming every lesson does.
      if (lesson === before && identity) adoptIdentity(join(work, 'package.json'), identity)
      await git('add', '--all', '.')
      trees.push((await git('write-tree')).trim())
    }
    const diff = (...args: string[]) =>
      git(
        'diff',
        '--no-ext-diff',
        options.color ? '--color=always' : '--no-color',
        ...args,
        `--src-prefix=${before.id}/`,
        `--dst-prefix=${after.id}/`,
        trees[0] as string,
        trees[1] as string,
      )
    const output = await diff(
      ...(options.stat ? ['--stat'] : []),
      ...(options.nameStatus ? ['--name-status'] : []),
    )
    if (!options.stat || output.trim() === '') return output
    return `${output.trimEnd()}\n${linesByFolder(await diff('--numstat'))}\n`
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * Format and sort imports in `work` the way `pnpm format` does (biome, with the repository's
 * settings, copied next to it). Files biome cannot parse stay as they are; without biome
 * installed nothing is formatted.
 */
async function formatLikeTheRepository(root: string, scratch: string, work: string) {
  const biome = join(root, 'node_modules', '.bin', 'biome')
  if (!existsSync(biome)) return
  try {
    const settings = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'))
    delete settings.files
    delete settings.$schema
    writeFileSync(join(scratch, 'biome.json'), JSON.stringify(settings))
  } catch {
    // no settings: biome's own defaults, the same for both sides
  }
  await capture(
    biome,
    [
      'check',
      '--write',
      '--linter-enabled=false',
      '--no-errors-on-unmatched',
      relative(scratch, work),
    ],
    scratch,
  )
}

function readIdentity(lesson: DiffSide): Record<string, unknown> | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(lesson.dir, 'package.json'), 'utf8'))
    return Object.fromEntries(IDENTITY_FIELDS.map((field) => [field, pkg[field]]))
  } catch {
    return undefined
  }
}

/** Edit the text, not the parsed JSON, so the file's formatting (and so the diff) stays as is. */
function adoptIdentity(file: string, identity: Record<string, unknown>): void {
  if (!existsSync(file)) return
  let text = readFileSync(file, 'utf8')
  for (const [field, value] of Object.entries(identity)) {
    if (typeof value !== 'string') continue
    const line = new RegExp(`^(\\s*"${field}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'm')
    text = text.replace(line, (_, start: string) => `${start}${JSON.stringify(value)}`)
  }
  writeFileSync(file, text)
}

/** True when both package.json files exist and differ only in name, description and version. */
export function sameApartFromIdentity(before: DiffSide, after: DiffSide): boolean {
  const read = (lesson: DiffSide) => {
    const file = join(lesson.dir, 'package.json')
    if (!existsSync(file)) return undefined
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      for (const field of IDENTITY_FIELDS) delete pkg[field]
      return JSON.stringify(pkg)
    } catch {
      return undefined
    }
  }
  const a = read(before)
  return a !== undefined && a === read(after)
}

/**
 * `--stat`'s last line: the lines added and removed under src/ (the concept's code) and
 * under test/ apart, from `git diff --numstat` ("12\t3\tsrc/app.ts" per file).
 *   src/: 45 added, 3 removed · test/: 30 added, 2 removed · other: 4 added, 1 removed
 */
export function linesByFolder(numstat: string): string {
  const totals = new Map<string, { added: number; removed: number }>()
  for (const line of numstat.split('\n')) {
    const [added, removed, path] = line.split('\t')
    if (path === undefined) continue
    const folder = path.startsWith('src/') ? 'src/' : path.startsWith('test/') ? 'test/' : 'other'
    const total = totals.get(folder) ?? { added: 0, removed: 0 }
    // Binary files show "-": they count as no lines.
    total.added += Number(added) || 0
    total.removed += Number(removed) || 0
    totals.set(folder, total)
  }
  return ['src/', 'test/', 'other']
    .filter((folder) => totals.has(folder) || folder !== 'other')
    .map((folder) => {
      const { added, removed } = totals.get(folder) ?? { added: 0, removed: 0 }
      return `${folder}: ${added} added, ${removed} removed`
    })
    .join(' · ')
}
