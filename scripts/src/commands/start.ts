import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Context, paint } from '../context.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson } from '../lessons.js'
import { playgroundDir, playgroundLabel } from '../playground.js'
import { runLessonScript } from '../run.js'

/**
 * `pnpm lesson start <n> [--mine]`: run the lesson's server in this terminal until Ctrl-C;
 * with --mine, the learner's own copy in the playground instead. Ctrl-C is how a server is
 * meant to stop, so it ends with "stopped" and exit code 0, not as a failure.
 */
export async function startCommand(
  ctx: Context,
  input: string,
  options: { mine?: boolean } = {},
): Promise<number> {
  const lesson = resolveLesson(findLessons(ctx.lessonsDir), input)
  const number = lessonNumber(lesson)
  let target: Pick<Lesson, 'dir' | 'id' | 'scripts'> = lesson
  if (options.mine) {
    const dir = playgroundDir(ctx.root, lesson)
    if (!existsSync(join(dir, 'package.json'))) {
      ctx.err(
        `You have no copy of lesson ${number} to start: make one with \`pnpm lesson practice ${number}\`.`,
      )
      return 1
    }
    target = { dir, id: playgroundLabel(lesson), scripts: readScripts(dir) }
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
  try {
    const code = await runLessonScript(target, 'start', ctx, 'tsx src/server.ts')
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

function readScripts(dir: string): Record<string, string> {
  try {
    const scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts
    return scripts && typeof scripts === 'object' ? scripts : {}
  } catch {
    return {}
  }
}

/** Where the server will answer, from the same PORT and HOST variables the server reads. */
export function healthUrl(env: NodeJS.ProcessEnv): string {
  const port = env.PORT || '3000'
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/health`
}
