import { type Context, paint } from '../context.js'
import { explainCrash, isCrashStart } from '../crash.js'
import { findLessons, lessonNumber, resolveLesson } from '../lessons.js'
import { lessonOrCopy } from '../playground.js'
import { runLessonScript } from '../run.js'

/**
 * `pnpm lesson start <n> [--mine] [--verbose]`: run the lesson's server in this terminal until
 * Ctrl-C; with --mine, the learner's own copy in the playground instead. Ctrl-C is how a server
 * is meant to stop, so it ends with "stopped" and exit code 0, not as a failure. A crash while
 * starting (a typing slip, a call a library refuses) is told in one line, file:line and the
 * message; --verbose shows the whole stack trace instead.
 */
export async function startCommand(
  ctx: Context,
  input: string,
  options: { mine?: boolean; verbose?: boolean; sql?: boolean } = {},
): Promise<number> {
  const lesson = resolveLesson(findLessons(ctx.lessonsDir), input)
  const number = lessonNumber(lesson)
  const target = lessonOrCopy(ctx, lesson, options.mine, 'to start')
  if (!target) return 1
  if (options.mine) {
    ctx.out(paint(ctx, 'bold', `Your copy of lesson ${number} (${target.id}): ${lesson.title}`))
  } else {
    ctx.out(paint(ctx, 'bold', `Lesson ${number}: ${lesson.title}`))
  }
  ctx.out(`Try it from another terminal:  ${paint(ctx, 'cyan', `curl ${healthUrl(ctx.env)}`)}`)
  ctx.out(paint(ctx, 'dim', 'Ctrl-C stops the server.'))
  ctx.out('')

  let interrupted = false
  const onInterrupt = () => {
    interrupted = true
  }
  process.on('SIGINT', onInterrupt)
  const command = `pnpm lesson start ${number}${options.mine ? ' --mine' : ''}`
  // The server names this command when its port is taken: "PORT=3001 pnpm lesson start 06".
  const env = {
    ...ctx.env,
    KITCHEN_START_COMMAND: command,
    ...(options.sql && { LOG_SQL: 'true' }),
  }
  if (options.sql && Number(number) < 8) {
    ctx.err(
      `--sql logs the SQL from lesson 08 on (Kysely's log); lesson ${number} does not have it.`,
    )
  }
  const errors = crashFilter((line) => ctx.err(line))
  const onStderr = options.verbose ? undefined : (text: string) => errors.push(text)
  try {
    const code = await runLessonScript(
      target,
      'start',
      { ...ctx, env },
      'tsx src/server.ts',
      [],
      onStderr,
    )
    errors.flush()
    if (errors.crashed && !interrupted) explain(ctx, errors.output, target.dir, command)
    // 130 is "ended by SIGINT": a server without its own Ctrl-C handling.
    if (interrupted && (code === 0 || code === 130)) {
      ctx.out(paint(ctx, 'dim', options.mine ? 'Your server stopped.' : 'The server stopped.'))
      return 0
    }
    return code
  } finally {
    process.off('SIGINT', onInterrupt)
  }
}

/** Where the server will answer, from the same PORT and HOST variables the server reads. */
export function healthUrl(env: NodeJS.ProcessEnv): string {
  const port = env.PORT || '3000'
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/health`
}

/** Passes the server's error output through, line by line, but holds back a crash's stack. */
function crashFilter(write: (line: string) => void) {
  let output = ''
  let pending = ''
  let crashed = false
  const take = (line: string) => {
    crashed ||= isCrashStart(line)
    if (!crashed) write(line)
  }
  return {
    push(text: string) {
      output += text
      const lines = (pending + text).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) take(line)
    },
    flush() {
      if (pending) take(pending)
      pending = ''
    },
    get crashed() {
      return crashed
    },
    get output() {
      return output
    },
  }
}

/** The one useful line of a crash, with advice; the whole output when there is nothing to explain. */
function explain(ctx: Context, output: string, dir: string, command: string) {
  const crash = explainCrash(output, dir)
  if (!crash) {
    ctx.err(output.trimEnd())
    return
  }
  ctx.err(paint(ctx, 'red', `✘ ${crash.where ? `${crash.where}  ` : ''}${crash.message}`))
  ctx.err(`  ${crash.advice}`)
  ctx.err(paint(ctx, 'dim', `  (the whole error, with its stack trace: ${command} --verbose)`))
}
