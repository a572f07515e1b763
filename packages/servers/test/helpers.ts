import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { isAlive } from '../src/process.js'

export interface Teardown {
  teardown(fn: () => unknown): void
}

/** A temporary folder, deleted after the test. */
export async function tempFolder(t: Teardown): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'kitchen-servers-test-'))
  t.teardown(() => rm(folder, { recursive: true, force: true }))
  return folder
}

/** Run a program to its end and collect what it printed. */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** `pnpm redis …`: the program scripts/src/bin/redis.mjs, as pnpm runs it. */
export function pnpmRedis(args: string[], env: NodeJS.ProcessEnv) {
  const bin = join(import.meta.dirname, '..', '..', '..', 'scripts', 'src', 'bin', 'redis.mjs')
  return run(process.execPath, [bin, ...args], env)
}

/** The environment without REDIS_URL (a learner may have one set), plus `values`. */
export function envWith(values: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...values }
  if (!('REDIS_URL' in values)) delete env.REDIS_URL
  return env
}

/** Wait (up to 5 s) until a process has gone: a SIGKILL takes a moment to land. */
export async function gone(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 5000 && isAlive(pid); waited += 20) await sleep(20)
  return !isAlive(pid)
}
