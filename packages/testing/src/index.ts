import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'

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
  const child = spawn(process.execPath, ['--import=tsx', script, ...(options.args ?? [])], {
    cwd,
    env: { ...process.env, ...options.env },
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

export {
  BROWSER_NAMES,
  type FindBrowserOptions,
  type FoundBrowser,
  findBrowser,
  HOW_TO_INSTALL,
  type NoBrowser,
} from './find-browser.js'
export { runTestFiles } from './run-test-files.js'
