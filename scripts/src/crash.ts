import { relative } from 'node:path'

/** A crash at start-up in a learner's words: where (file:line:column), what, and what to try. */
export interface CrashSummary {
  where?: string
  message: string
  advice: string
}

/** The first line of an uncaught error: `AssertionError [ERR_ASSERTION]: The first character …` */
const HEADER = /^(\w*Error)(?: \[(\w+)\])?: (.*)$/
/** esbuild's place and message, on the line after its header: `/…/src/app.ts:16:2: ERROR: …` */
const SYNTAX = /^(.+?):(\d+):(\d+): ERROR: (.*)$/
/** A stack line's place: `    at buildApp (/…/src/app.ts:12:7)` or `    at /…/src/app.ts:12:7` */
const FRAME = /^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?$/

/**
 * Read the stack trace of a server that crashed while starting, and keep the one useful line:
 * the first place in the lesson's own files (not in a library), and the error's message.
 * Undefined when the output holds no error to explain.
 */
export function explainCrash(stderr: string, lessonDir: string): CrashSummary | undefined {
  const lines = stderr.split(/\r?\n/)
  const at = lines.findIndex((line) => HEADER.test(line))
  if (at === -1) return undefined
  const [, name, code, message = ''] = HEADER.exec(lines[at] ?? '') ?? []
  const place = (file: string, line = '', column = '') =>
    `${relative(lessonDir, file)}:${line}:${column}`

  const syntax = code === 'TransformError' ? SYNTAX.exec(lines[at + 1] ?? '') : null
  if (syntax) {
    return {
      where: place(syntax[1] ?? '', syntax[2], syntax[3]),
      message: syntax[4] ?? message,
      advice:
        'TypeScript cannot read this file: look at that line and the one before it (a bracket, quote or comma missing?).',
    }
  }
  const own = lines
    .slice(at + 1)
    .map((line) => FRAME.exec(line))
    .find((frame) => frame?.[1]?.startsWith(lessonDir) && !frame[1].includes('node_modules'))
  return {
    where: own ? place(own[1] ?? '', own[2], own[3]) : undefined,
    message: `${name}: ${message}`,
    advice:
      'The server stopped while starting, at that line of your code: a library refused what it was given there.',
  }
}

/** Where a crash's output begins: an error's first line, or the lines Node prints around it. */
export function isCrashStart(line: string): boolean {
  return (
    HEADER.test(line) ||
    /^node:internal\/|^\s+triggerUncaughtException\(|^\s+\^$|^Node\.js v\d/.test(line)
  )
}
