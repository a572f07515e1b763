import { type ChildProcess, fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { QueryCount, QueryCountAnswer } from './query-count.js'
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

/** Ask the child something over IPC; resolve with its first answer that `isAnswer`. */
function ask<T>(child: ChildProcess, message: object, isAnswer: (answer: unknown) => answer is T) {
  return new Promise<T>((resolveAnswer, reject) => {
    const onMessage = (answer: unknown) => {
      if (!isAnswer(answer)) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolveAnswer(answer)
    }
    const onExit = () => {
      child.off('message', onMessage)
      reject(new Error('its server stopped'))
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.send(message)
  })
}

const isQueryCountAnswer = (answer: unknown): answer is QueryCountAnswer =>
  typeof answer === 'object' && answer !== null && 'queryCount' in answer

/** The SQL queries the child's server sends to Postgres while `during` runs (query-count.ts). */
export async function countQueries(
  child: ChildProcess,
  during: () => Promise<void>,
): Promise<QueryCount> {
  const started = await ask(child, { queryCount: 'start' }, isQueryCountAnswer)
  if (started.queryCount === 'failed') throw new Error(started.error)
  // A failed request throws here: its server is stopped straight after, counting or not.
  await during()
  const stopped = await ask(child, { queryCount: 'stop' }, isQueryCountAnswer)
  if (typeof stopped.queryCount !== 'object') throw new Error('the server sent no query count')
  return stopped.queryCount
}
