import { type ChildProcess, fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerOptions } from './servers.js'
import type { ServerKind } from './targets.js'

const here = dirname(fileURLToPath(import.meta.url))

/** Server processes still running: Ctrl-C stops them too. */
export const children = new Set<ChildProcess>()

/** Start a server of `kind` in its own process (serve.ts); resolve with the child and its port. */
export function startBenchServer(
  kind: ServerKind,
  options: ServerOptions,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(here, 'serve.ts'), [kind, JSON.stringify(options)], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return new Promise((resolvePort, reject) => {
    child.once('message', (message) =>
      resolvePort({ child, port: (message as { port: number }).port }),
    )
    child.once('exit', (code) =>
      reject(new Error(`its server stopped before listening (exit code ${code})`)),
    )
  })
}

/** Ask the child to close its server (by disconnecting); kill it if it takes over 5 s. */
export function stopBenchServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolveStop()
    })
    child.disconnect()
  })
}
