import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { type Context, paint } from '../context.js'
import { findLessons, type Lesson, lessonNumber, resolveLesson } from '../lessons.js'

/** A lesson's Postman files: `postman/*.postman_collection.json` and `…_environment.json`. */
function postmanFiles(lesson: Lesson) {
  const folder = join(lesson.dir, 'postman')
  const files = existsSync(folder) ? readdirSync(folder).sort() : []
  const find = (kind: string) => files.find((file) => file.endsWith(`.postman_${kind}.json`))
  const collection = find('collection')
  const environment = find('environment')
  if (!collection || !environment) return undefined
  return { folder, collection: join(folder, collection), environment: join(folder, environment) }
}

/** The name Postman shows for a file (`info.name` of a collection, `name` of an environment). */
function nameIn(file: string): string {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'))
    return String(parsed.info?.name ?? parsed.name ?? '')
  } catch {
    return ''
  }
}

/**
 * `pnpm lesson postman <n>`: where the lesson's Postman collection and environment are, how to
 * import them into Postman, and how to run them there or in the terminal with newman.
 */
export function postmanCommand(ctx: Context, input: string): number {
  const lessons = findLessons(ctx.lessonsDir)
  const lesson = resolveLesson(lessons, input)
  const number = lessonNumber(lesson)
  const files = postmanFiles(lesson)
  if (!files) {
    const withFiles = lessons.filter((other) => postmanFiles(other)).map((other) => other.id)
    const which = withFiles.length ? `Lessons with one: ${withFiles.join(', ')}.` : ''
    ctx.err(`Lesson ${number} has no Postman collection. ${which}`.trim())
    return 1
  }
  const here = (file: string) => relative(ctx.cwd, file) || '.'
  const code = (text: string) => paint(ctx, 'cyan', text)
  const environment = nameIn(files.environment)
  ctx.out(
    [
      paint(ctx, 'bold', `Lesson ${number}'s Postman files, in ${here(files.folder)}:`),
      `  collection   ${here(files.collection)}  ("${nameIn(files.collection)}")`,
      `  environment  ${here(files.environment)}  ("${environment}")`,
      '',
      paint(ctx, 'bold', 'Import them into Postman:'),
      '  1. File > Import (or the Import button), and choose both files.',
      `  2. Choose the environment "${environment}" in the top right corner.`,
      `  3. Start the server: ${code(`pnpm lesson start ${number}`)}`,
      '  4. Send the requests one by one, in order, or run them all: the collection’s ⋯ menu >',
      '     Run collection, then Run. Each request’s Scripts tab shows what it checks.',
      '',
      paint(ctx, 'bold', 'Or run the collection in the terminal, with the server started:'),
      ...(here(lesson.dir) === '.' ? [] : [`  ${code(`cd ${here(lesson.dir)}`)}`]),
      `  ${code(`npx newman run ${relative(lesson.dir, files.collection)} -e ${relative(lesson.dir, files.environment)}`)}`,
      `  (another port? add ${code('--env-var baseUrl=http://127.0.0.1:3001')})`,
    ].join('\n'),
  )
  return 0
}
