import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, sep } from 'node:path'
import { type Context, paint } from '../context.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson } from '../lessons.js'
import { playgroundDir, playgroundLabel } from '../playground.js'
import { currentPractice, loadProgress, progressFile, updateLesson } from '../progress.js'
import { scriptCommand, scriptEnv, waitWithSignals } from '../run.js'
import { type FileResult, readTestResults } from '../tap-results.js'
import { diffLessons } from './diff.js'

export interface CheckOptions {
  /** Leave out the comparison with the reference lesson on success (watch prints it once). */
  quietDiff?: boolean
}

/**
 * Which lesson the learner means: the one typed, or the one being practised. Prints why not
 * and returns undefined when neither is there.
 */
export function practiceLesson(
  ctx: Context,
  input: string | undefined,
  command: string,
): Lesson | undefined {
  const lessons = findLessons(ctx.lessonsDir)
  if (input !== undefined) return resolveLesson(lessons, input)
  const { progress, problem } = loadProgress(progressFile(ctx.root))
  if (problem) ctx.err(paint(ctx, 'yellow', problem))
  const slug = currentPractice(progress)
  const lesson = lessons.find((candidate) => candidate.slug === slug)
  if (!lesson) {
    ctx.err(
      `You are not practising a lesson yet: start one with \`pnpm lesson practice 3\`, or name one: \`pnpm lesson ${command} 3\`.`,
    )
  }
  return lesson
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
  if (!lesson) return 1
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

  ctx.out(paint(ctx, 'bold', `Checking your copy of lesson ${number} (${label}) …`))
  const run = await runPlaygroundTests(ctx, dir)
  if (run.code === 130 || run.code === 143) return run.code

  const results = readTestResults(dir)
  const { crashed, ...counts } = printChecklist(ctx, results, run.stderr, dir)
  const passed = run.code === 0
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
        lastCheck: { result: passed ? 'passed' : 'failed', at, ...counts },
      },
    }
  })
  if (problem) ctx.err(paint(ctx, 'yellow', problem))

  ctx.out('')
  if (!passed) {
    if (counts.failed === 0 && crashed === 0) {
      ctx.out(paint(ctx, 'red', `The tests failed (exit code ${run.code}) without naming a test:`))
      ctx.out(tail(run.stdout + run.stderr))
    }
    const files = crashed ? ` ${crashed} test file${crashed === 1 ? '' : 's'} could not run.` : ''
    ctx.out(
      paint(
        ctx,
        'red',
        `${counts.passed} of ${counts.passed + counts.failed} behaviours pass.${files}`,
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
      leaveOut: ['README.md', 'hints.md'],
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
 * Run the playground's own `test` script in the playground, with the environment lesson tests
 * get (node_modules/.bin on PATH), the TAP reporter, and output captured: the checklist is
 * built from `.tap/test-results`, which is cleared first so only this run counts.
 */
export async function runPlaygroundTests(
  ctx: Context,
  dir: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  rmSync(join(dir, '.tap', 'test-results'), { recursive: true, force: true })
  let script = 'tap'
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    if (typeof pkg.scripts?.test === 'string') script = pkg.scripts.test
  } catch {
    // a broken package.json: fall back to plain tap, which says what is wrong with it
  }
  const { command, args, shell } = scriptCommand(script)
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

/** ✔/✘ per behaviour, grouped by test file; the reason under each failure. */
export function printChecklist(
  ctx: Context,
  results: FileResult[],
  stderr: string,
  dir = '',
): { passed: number; failed: number; crashed: number } {
  let passed = 0
  let failed = 0
  let crashed = 0
  const reason = crashReason(stderr)?.replaceAll(dir ? `${dir}${sep}` : '\0', '')
  for (const result of results) {
    ctx.out('')
    ctx.out(paint(ctx, 'bold', result.file))
    if (result.crashed) {
      crashed++
      ctx.out(
        `  ${paint(ctx, 'red', '✘')} could not run: ${reason ?? 'it stopped before its first test'}`,
      )
      continue
    }
    for (const behaviour of result.behaviours) {
      if (behaviour.skipped) {
        ctx.out(`  ${paint(ctx, 'dim', `- ${behaviour.name} (skipped)`)}`)
      } else if (behaviour.ok) {
        passed++
        ctx.out(`  ${paint(ctx, 'green', '✔')} ${behaviour.name}`)
      } else {
        failed++
        ctx.out(`  ${paint(ctx, 'red', '✘')} ${behaviour.name}`)
        const [first, ...detail] = behaviour.reason ?? []
        if (first) ctx.out(paint(ctx, 'dim', `      ${first}`))
        if (detail.length) {
          ctx.out(paint(ctx, 'dim', '      (- expected, + actual)'))
          for (const line of detail) ctx.out(paint(ctx, 'dim', `      ${line}`))
        }
      }
    }
  }
  if (results.some((result) => result.crashed) && !reason && stderr.trim()) {
    ctx.out('')
    ctx.out(paint(ctx, 'dim', 'What the test files printed:'))
    ctx.out(tail(stderr))
  }
  return { passed, failed, crashed }
}

/** The error that stopped a test file from loading: the first `Error` line tap's children printed. */
function crashReason(stderr: string): string | undefined {
  const line = stderr.split('\n').find((text) => /^\s*\w*Error\b.*:/.test(text))
  return line?.trim().replace(/\s+imported from .*$/, '')
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}
