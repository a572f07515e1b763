import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, sep } from 'node:path'
import { organise, parseTypeErrors, printChecklist, type TypeProblem } from '../checklist.js'
import { type Context, paint } from '../context.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson } from '../lessons.js'
import { playgroundDir, playgroundLabel } from '../playground.js'
import {
  currentPractice,
  loadProgress,
  type Progress,
  progressFile,
  updateLesson,
} from '../progress.js'
import { scriptCommand, scriptEnv, waitWithSignals, withArgs } from '../run.js'
import { readTestResults } from '../tap-results.js'
import { filesWithNewTests, indexTests } from '../test-names.js'
import { diffLessons } from './diff.js'

export interface CheckOptions {
  /** Leave out the comparison with the reference lesson on success (watch prints it once). */
  quietDiff?: boolean
  /** The lesson's own tests were just shown by quickCheck: show the rest only. */
  newShown?: boolean
}

/**
 * Which lesson the learner means: the one typed, or the one being practised. When there is
 * neither, prints what to do (the next lesson, after finishing one) and returns the exit code.
 */
export function practiceLesson(
  ctx: Context,
  input: string | undefined,
  command: string,
): Lesson | number {
  const lessons = findLessons(ctx.lessonsDir)
  if (input !== undefined) return resolveLesson(lessons, input)
  const { progress, problem } = loadProgress(progressFile(ctx.root))
  if (problem) ctx.err(paint(ctx, 'yellow', problem))
  const slug = currentPractice(progress)
  const lesson = lessons.find((candidate) => candidate.slug === slug)
  if (lesson) return lesson
  const finished = lastFinished(progress, lessons)
  if (finished) {
    const number = lessonNumber(finished)
    const next = lessons.find((candidate) => candidate.number > finished.number)
    ctx.out(`You finished lesson ${number} (${finished.title}).`)
    ctx.out(
      next
        ? `Next: \`pnpm lesson practice ${lessonNumber(next)}\` (${next.title}), then \`pnpm lesson ${command}\`.`
        : 'That was the last lesson: every one is yours now. Well done!',
    )
    ctx.out(paint(ctx, 'dim', `(To go back to it: \`pnpm lesson ${command} ${number}\`.)`))
    return 0
  }
  ctx.err(
    `You are not practising a lesson yet: start one with \`pnpm lesson practice 1\`, or name one: \`pnpm lesson ${command} 3\`.`,
  )
  return 1
}

/** The lesson whose practice was finished last (by doneAt), if any. */
function lastFinished(progress: Progress, lessons: Lesson[]): Lesson | undefined {
  let best: { lesson: Lesson; at: string } | undefined
  for (const lesson of lessons) {
    const practice = progress.lessons[lesson.slug]?.practice
    if (practice?.state !== 'done') continue
    const at = practice.doneAt ?? ''
    if (!best || at > best.at || (at === best.at && lesson.number > best.lesson.number)) {
      best = { lesson, at }
    }
  }
  return best?.lesson
}

/**
 * `pnpm lesson check [n]`: run lesson n's tests against the learner's copy in the playground,
 * show each behaviour as passing or failing, and on success mark the lesson done and show how
 * the reference lesson did it. Exit code 0 when every test passes, 1 otherwise.
 */
export async function checkCommand(
  ctx: Context,
  input: string | undefined,
  options: CheckOptions = {},
): Promise<number> {
  const lesson = practiceLesson(ctx, input, 'check')
  if (typeof lesson === 'number') return lesson
  const number = lessonNumber(lesson)
  const dir = playgroundDir(ctx.root, lesson)
  const label = playgroundLabel(lesson)
  if (!existsSync(join(dir, 'package.json'))) {
    ctx.err(
      `You have no copy of lesson ${number} to check: make one with \`pnpm lesson practice ${number}\`.`,
    )
    return 1
  }
  if (!existsSync(join(dir, 'node_modules'))) {
    ctx.err(
      `${label}/node_modules is missing: run \`pnpm install\`, then \`pnpm lesson practice ${number} --force\` (your work is backed up first).`,
    )
    return 1
  }

  if (!options.newShown) {
    ctx.out(paint(ctx, 'bold', `Checking your copy of lesson ${number} (${label}) …`))
  }
  const lessons = findLessons(ctx.lessonsDir)
  const previous = lessons.filter((candidate) => candidate.number < lesson.number).at(-1)
  const [run, typeErrors] = await Promise.all([runPlaygroundTests(ctx, dir), typeCheck(ctx, dir)])
  if (run.code === 130 || run.code === 143) return run.code

  const entries = organise(
    readTestResults(dir),
    indexTests(join(dir, 'test')),
    previous ? indexTests(join(previous.dir, 'test')) : undefined,
    crashReason(run.stderr)?.replaceAll(`${dir}${sep}`, ''),
    dir,
  )
  const tally = printChecklist(ctx, entries, typeErrors, {
    lesson: number,
    hasPrevious: previous !== undefined,
    show: options.newShown ? 'rest' : 'all',
  })
  const { crashed, typeErrors: typeCount, ...counts } = tally
  const passed = run.code === 0 && typeCount === 0 && counts.failed === 0 && crashed === 0
  const at = new Date().toISOString()
  const problem = updateLesson(progressFile(ctx.root), lesson.slug, (entry) => {
    const practice = entry.practice ?? { state: 'current', startedAt: at }
    const state = passed || practice.state === 'done' ? 'done' : 'current'
    return {
      ...entry,
      practice: {
        ...practice,
        state,
        ...(passed && !practice.doneAt ? { doneAt: at } : {}),
        lastCheck: { result: passed ? 'passed' : 'failed', at, ...counts, typeErrors: typeCount },
      },
    }
  })
  if (problem) ctx.err(paint(ctx, 'yellow', problem))

  ctx.out('')
  if (!passed) {
    if (run.code !== 0 && counts.failed === 0 && crashed === 0) {
      ctx.out(paint(ctx, 'red', `The tests failed (exit code ${run.code}) without naming a test:`))
      ctx.out(tail(run.stdout + run.stderr))
    }
    const files = crashed ? ` ${crashed} test file${crashed === 1 ? '' : 's'} could not load.` : ''
    const types = typeCount
      ? ` ${typeCount} type error${typeCount === 1 ? '' : 's'}: the lesson is done when there are none.`
      : ''
    ctx.out(
      paint(
        ctx,
        'red',
        `${counts.passed} of ${counts.passed + counts.failed} behaviours pass.${files}${types}`,
      ),
    )
    ctx.out(
      `Stuck? \`pnpm lesson hint ${number}\` gives a hint. \`pnpm lesson watch ${number}\` checks again on every save.`,
    )
    return 1
  }
  ctx.out(
    paint(
      ctx,
      'green',
      `All ${counts.passed} behaviours pass: lesson ${number} (${lesson.title}) is done!`,
    ),
  )
  if (!options.quietDiff) {
    const diff = await diffLessons({ id: label, dir }, lesson, {
      stat: false,
      color: ctx.color,
      leaveOut: ['README.md', 'hints.md', 'screenshot.png'], // the picture a browser test takes
      format: ctx.root,
    })
    ctx.out('')
    if (diff.trim() === '') {
      ctx.out(`Your copy has the same files as lesson ${number}.`)
    } else {
      ctx.out(paint(ctx, 'bold', `How lesson ${number} itself does it, compared with your copy:`))
      ctx.out(diff.trimEnd())
    }
  }
  const next = findLessons(ctx.lessonsDir).find((candidate) => candidate.number > lesson.number)
  if (next) {
    ctx.out('')
    ctx.out(`Next: \`pnpm lesson practice ${lessonNumber(next)}\` (${next.title}).`)
  }
  return 0
}

/**
 * The first half of a re-check after a save: run only the test files with something new in
 * them, each on its own (`tap test/logging.test.ts`), and show the lesson's own behaviours.
 * Seconds instead of the whole lesson; checkCommand then runs everything for the verdict.
 * Returns false when there was nothing to run first (the first lesson, or no new tests).
 */
export async function quickCheck(ctx: Context, lesson: Lesson): Promise<boolean> {
  const dir = playgroundDir(ctx.root, lesson)
  const previous = findLessons(ctx.lessonsDir)
    .filter((candidate) => candidate.number < lesson.number)
    .at(-1)
  if (!previous || !existsSync(join(dir, 'node_modules'))) return false
  const own = indexTests(join(dir, 'test'))
  const before = indexTests(join(previous.dir, 'test'))
  const files = filesWithNewTests(own, before)
  if (files.length === 0) return false
  const started = Date.now()
  const run = await runPlaygroundTests(ctx, dir, files)
  if (run.code === 130 || run.code === 143) return false
  const results = readTestResults(dir).filter((result) => files.includes(result.file))
  const entries = organise(
    results,
    own,
    before,
    crashReason(run.stderr)?.replaceAll(`${dir}${sep}`, ''),
    dir,
  ).filter((entry) => entry.isNew)
  printChecklist(ctx, entries, undefined, {
    lesson: lessonNumber(lesson),
    hasPrevious: true,
    show: 'new',
  })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  ctx.out('')
  ctx.out(
    paint(ctx, 'dim', `(the new tests, in ${seconds} s; now everything, with the type check …)`),
  )
  return true
}

/**
 * Run the playground's own `test` script in the playground, with the environment lesson tests
 * get (node_modules/.bin on PATH), the TAP reporter, and output captured: the checklist is
 * built from `.tap/test-results`, which is cleared first so only this run counts.
 */
export async function runPlaygroundTests(
  ctx: Context,
  dir: string,
  files: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  rmSync(join(dir, '.tap', 'test-results'), { recursive: true, force: true })
  let script = 'tap'
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    if (typeof pkg.scripts?.test === 'string') script = pkg.scripts.test
  } catch {
    // a broken package.json: fall back to plain tap, which says what is wrong with it
  }
  const { command, args, shell } = scriptCommand(withArgs(script, files))
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...scriptEnv({ dir }, ctx), TAP_REPORTER: 'tap', TAP_COLOR: '0', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell,
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  // 'exit' can come before the pipes are drained; 'close' comes after both.
  const closed = new Promise((resolve) => child.on('close', resolve))
  const code = await waitWithSignals(child, ctx)
  await closed
  if (code === 127) {
    ctx.err(`A command in "${script}" was not found: run \`pnpm install\` in the repository root.`)
  }
  return { code, stdout, stderr }
}

/**
 * `tsc -p tsconfig.json --noEmit` in the copy, with the lesson's own TypeScript: undefined
 * when there is nothing to check with (no tsconfig.json, or no tsc installed).
 */
export async function typeCheck(ctx: Context, dir: string): Promise<TypeProblem[] | undefined> {
  if (!existsSync(join(dir, 'tsconfig.json'))) return undefined
  const tsc = 'tsc -p tsconfig.json --noEmit --pretty false'
  // tsc needs no NODE_OPTIONS, and a loader put there (tap puts its own into every process
  // it starts) makes TypeScript's launcher fail: the shell drops it just before tsc starts.
  const { command, args, shell } =
    process.platform === 'win32'
      ? scriptCommand(tsc)
      : { command: 'sh', args: ['-c', `unset NODE_OPTIONS; exec ${tsc}`], shell: false }
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...scriptEnv({ dir }, ctx), FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell,
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk
  })
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(127))
    child.on('close', (exit) => resolve(exit))
  })
  if (code === 127) {
    ctx.err(paint(ctx, 'yellow', 'No type check: tsc is not installed (run `pnpm install`).'))
    return undefined
  }
  const errors = parseTypeErrors(output)
  if (code !== 0 && errors.length === 0) {
    const line = output.split('\n').find((text) => /\bError\b/.test(text))
    errors.push({ where: '', code: `exit ${code}`, message: line?.trim() || 'tsc failed' })
  }
  return errors
}

/** The error that stopped a test file from loading: the first `Error` line tap's children printed. */
function crashReason(stderr: string): string | undefined {
  const line = stderr.split('\n').find((text) => /^\s*\w*Error\b.*:/.test(text))
  return line?.trim().replace(/\s+imported from .*$/, '')
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}
