import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { WITHOUT_TAP_HOOKS } from './without-tap-hooks.js'

/** The bit of a tap test these helpers need: somewhere to register clean-up. */
export interface Teardown {
  teardown(fn: () => unknown): void
}

/**
 * Get an app ready for `app.inject()`, and close it when the test ends.
 *   const app = await readyApp(t, buildApp())
 */
export async function readyApp<App extends FastifyInstance>(
  t: Teardown,
  app: App | Promise<App>,
): Promise<App> {
  const ready = await app
  t.teardown(() => ready.close())
  await ready.ready()
  return ready
}

/**
 * Start the app on a free port (port 0) for tests that need real HTTP, such as fetch.
 * Returns the base URL; the server is closed when the test ends.
 */
export async function listenOnFreePort(t: Teardown, app: FastifyInstance): Promise<string> {
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') {
    throw new Error('The app is not listening on a TCP port.')
  }
  return `http://127.0.0.1:${address.port}`
}

/** A log stream to hand to the app's logger (`logStream`), and the lines written to it. */
export function captureLogs(): {
  stream: Writable
  lines: () => Record<string, unknown>[]
  text: () => string
} {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const text = () => chunks.join('')
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { stream, lines, text }
}

/** A script running in a process of its own: see `runScript`. */
export interface ScriptRun {
  child: ChildProcess
  /** Everything it has printed so far, standard output and standard error together. */
  output(): string
  /** Wait (up to 10 s, or until it exits) for output that matches; returns the match. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray | null>
  /** Its exit code, once it has ended. */
  exited: Promise<number | null>
}

/**
 * Run one of a lesson's TypeScript files (`src/server.ts`, `src/cli/migrate.ts`) in a process
 * of its own, as `pnpm start` would, with extra environment variables, collecting what it
 * prints. For tests of start-up, shutdown and commands: what `inject` cannot show.
 */
export function runScript(
  cwd: string,
  script: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): ScriptRun {
  const program = compiled(cwd, script)
  const run = program ? [program] : ['--import=tsx', script]
  const command = [process.execPath, ...run, ...(options.args ?? [])]
  return runCommand(cwd, command, { ...process.env, ...options.env })
}

/**
 * Run a command in a process of its own, with `env` as its whole environment, collecting what it
 * prints: runScript's engine, for what is not one of the lesson's TypeScript files, such as
 * `node dist/server.mjs` with only a container's variables. `node` means this Node.
 */
export function runCommand(cwd: string, command: string[], env: NodeJS.ProcessEnv): ScriptRun {
  const [program = '', ...args] = command
  const child = spawn(program === 'node' ? process.execPath : program, args, {
    cwd,
    env: { ...env, [WITHOUT_TAP_HOOKS]: '1' },
  })
  let output = ''
  const collect = (chunk: Buffer) => {
    output += chunk
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return {
    child,
    output: () => output,
    exited,
    async waitFor(pattern) {
      for (let i = 0; i < 200 && !pattern.test(output) && child.exitCode === null; i++) {
        await sleep(50)
      }
      return output.match(pattern)
    },
  }
}

/** This process's compiled programs: see `compiled`. */
const programs = new Map<string, string | undefined>()

/**
 * The script compiled into one JavaScript file that plain `node` runs (see bundle-script.mjs),
 * made once per test process and deleted when it ends; undefined when it cannot be made, and
 * runScript falls back to `node --import=tsx`. Same code, same esbuild as tsx: only faster to
 * start, which counts when a lesson's tests start its server a dozen times.
 */
function compiled(cwd: string, script: string): string | undefined {
  const key = resolve(cwd, script)
  if (process.env.KITCHEN_RUN_WITH_TSX) return undefined // to compare, or to rule this out
  if (programs.has(key)) return programs.get(key)
  const out = join(cwd, '.tap', 'run', `${basename(script, '.ts')}-${process.pid}.mjs`)
  let program: string | undefined = out
  try {
    execFileSync(process.execPath, [BUNDLE_SCRIPT, key, out], {
      stdio: 'pipe',
      env: { ...process.env, [WITHOUT_TAP_HOOKS]: '1' },
    })
    process.once('exit', () => rmSync(out, { force: true }))
  } catch {
    program = undefined
  }
  programs.set(key, program)
  return program
}

const BUNDLE_SCRIPT = fileURLToPath(new URL('./bundle-script.mjs', import.meta.url))

export {
  BROWSER_NAMES,
  type FindBrowserOptions,
  type FoundBrowser,
  findBrowser,
  HOW_TO_INSTALL,
  type NoBrowser,
} from './find-browser.js'
export { runTestFiles } from './run-test-files.js'
