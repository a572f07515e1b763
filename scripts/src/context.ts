import { join } from 'node:path'
import { styleText } from 'node:util'

type Format = Parameters<typeof styleText>[0]

/**
 * What every command needs from the outside world. `lesson.ts` fills it in from the real
 * process; tests fill it in with a temp folder and a buffer, so commands never touch
 * `process` directly.
 */
export interface Context {
  /** The repository root: lessons live in `<root>/lessons`, progress in `<root>/.kitchen`. */
  root: string
  lessonsDir: string
  /** The folder the learner typed the command in (pnpm runs root scripts from the root). */
  cwd: string
  /** Print a line (or several) for the learner. */
  out: (text: string) => void
  /** Print a problem. */
  err: (text: string) => void
  /** Whether to colour output: on for a terminal, off for pipes and files. */
  color: boolean
  /** How lesson scripts (start, test) share the terminal: tests pass 'ignore' to keep TAP clean. */
  childStdio: 'inherit' | 'ignore'
  env: NodeJS.ProcessEnv
}

export function createContext(root: string, overrides: Partial<Context> = {}): Context {
  return {
    root,
    lessonsDir: join(root, 'lessons'),
    // pnpm runs a root script in the root, and says where it was typed in INIT_CWD.
    cwd: process.env.INIT_CWD || process.cwd(),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    color: wantsColor(process.stdout, process.env),
    childStdio: 'inherit',
    env: process.env,
    ...overrides,
  }
}

/** The usual conventions: NO_COLOR turns colour off, FORCE_COLOR on, otherwise "is it a terminal?". */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true
  return stream.isTTY === true
}

/** `styleText` when colour is on, the plain text when it is off. */
export function paint(ctx: Pick<Context, 'color'>, format: Format, text: string): string {
  // The on/off decision is ours (`--color` must work through a pipe), so styleText must not
  // second-guess it by looking at process.stdout itself.
  return ctx.color ? styleText(format, text, { validateStream: false }) : text
}
