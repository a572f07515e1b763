import { type Context, paint } from '../context.js'
import { findLessons, lessonNumber, resolveLesson } from '../lessons.js'
import { runLessonScript } from '../run.js'

/** `pnpm lesson start <n>`: run the lesson's server in this terminal until Ctrl-C. */
export function startCommand(ctx: Context, input: string): Promise<number> {
  const lesson = resolveLesson(findLessons(ctx.lessonsDir), input)
  ctx.out(paint(ctx, 'bold', `Lesson ${lessonNumber(lesson)}: ${lesson.title}`))
  ctx.out(`Try it from another terminal:  ${paint(ctx, 'cyan', `curl ${healthUrl(ctx.env)}`)}`)
  ctx.out(paint(ctx, 'dim', 'Ctrl-C stops the server.'))
  ctx.out('')
  return runLessonScript(lesson, 'start', ctx, 'tsx src/server.ts')
}

/** Where the server will answer, from the same PORT and HOST variables the server reads. */
export function healthUrl(env: NodeJS.ProcessEnv): string {
  const port = env.PORT || '3000'
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/health`
}
