import { type ChildProcess, spawn } from 'node:child_process'
import { constants } from 'node:os'
import { delimiter, join } from 'node:path'
import type { Context } from './context.js'
import type { Lesson } from './lessons.js'

/**
 * How to run a package.json script without npm or pnpm in between: through `sh`, and with
 * `exec` when the script is one plain command, so the shell is replaced by that command and a
 * signal we send reaches it (dash, Debian's sh, does not do that on its own). A script with
 * `&&`, `|`, `;` … keeps its shell.
 */
export function scriptCommand(script: string): { command: string; args: string[]; shell: boolean } {
  if (process.platform === 'win32') return { command: script, args: [], shell: true }
  const compound = /[;&|`\n]|\$\(/.test(script)
  return { command: 'sh', args: ['-c', compound ? script : `exec ${script}`], shell: false }
}

/** The environment a package script expects: its own and the root's `node_modules/.bin` first on PATH. */
export function scriptEnv(
  lesson: Pick<Lesson, 'dir'>,
  ctx: Pick<Context, 'root' | 'env'>,
): NodeJS.ProcessEnv {
  const bins = [join(lesson.dir, 'node_modules', '.bin'), join(ctx.root, 'node_modules', '.bin')]
  const pathKey = Object.keys(ctx.env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH'
  return { ...ctx.env, [pathKey]: [...bins, ctx.env[pathKey] ?? ''].join(delimiter) }
}

/** Arguments added to a script, quoted for `sh` (as `pnpm run <script> <args>` would pass them). */
export function withArgs(script: string, args: string[]): string {
  const quote = (arg: string) =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
  return [script, ...args.map(quote)].join(' ')
}

/**
 * Run one of the lesson's package.json scripts (`start`, `test` …) in the lesson folder and
 * resolve with its exit code. `fallback` is used when the package.json has no such script;
 * `extra` arguments are added to the script's command line.
 */
export function runLessonScript(
  lesson: Pick<Lesson, 'dir' | 'id' | 'scripts'>,
  name: string,
  ctx: Context,
  fallback?: string,
  extra: string[] = [],
  onStderr?: (text: string) => void,
): Promise<number> {
  const found = lesson.scripts[name] ?? fallback
  if (found === undefined) {
    ctx.err(`Lesson ${lesson.id} has no "${name}" script in its package.json.`)
    return Promise.resolve(1)
  }
  const script = withArgs(found, extra)
  const { command, args, shell } = scriptCommand(script)
  const child = spawn(command, args, {
    cwd: lesson.dir,
    env: scriptEnv(lesson, ctx),
    // With onStderr, the script's error output comes here instead of straight to the terminal.
    stdio: onStderr ? [ctx.childStdio, ctx.childStdio, 'pipe'] : ctx.childStdio,
    shell,
  })
  child.stderr?.on('data', (chunk: Buffer) => onStderr?.(String(chunk)))
  return waitWithSignals(child, ctx).then((code) => {
    // 127 is the shell's "command not found": usually a dependency that was never installed.
    if (code === 127) {
      ctx.err(
        `A command in "${script}" was not found: run \`pnpm install\` in the repository root.`,
      )
    }
    return code
  })
}

/**
 * Wait for a child that owns the terminal, and make the CLI live and die with it.
 *
 * Ctrl-C in a terminal sends SIGINT to every process of the foreground group, so the child
 * already has it: sending it again would count as a second Ctrl-C, which makes a server skip
 * its graceful shutdown. So SIGINT is only passed on when we are not attached to a terminal
 * (someone ran `kill -INT` on us). SIGTERM and SIGHUP are sent to us alone: always passed on.
 * Either way we stay alive until the child exits, then exit with its code.
 */
export function waitWithSignals(child: ChildProcess, ctx: Pick<Context, 'err'>): Promise<number> {
  const interactive = process.stdin.isTTY === true
  const forward = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT' && interactive) return
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.on(signal, forward)
  // Should this process end some other way, do not leave the child running on its own.
  const killChild = () => child.kill('SIGTERM')
  process.on('exit', killChild)

  return new Promise((resolve) => {
    const done = (code: number) => {
      for (const signal of signals) process.off(signal, forward)
      process.off('exit', killChild)
      resolve(code)
    }
    child.on('error', (error) => {
      ctx.err(`Could not start ${child.spawnfile}: ${error.message}`)
      done(1)
    })
    child.on('exit', (code, signal) => done(exitCodeOf(code, signal)))
  })
}

/** The shell's convention: a process ended by a signal "exits" with 128 + the signal's number. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0)
}

/** Run a command to read its output (git diff): no terminal, nothing inherited. */
export function capture(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({
        code: exitCodeOf(code, signal),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    )
  })
}
