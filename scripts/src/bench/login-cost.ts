import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { BENCH_PASSWORD, logIn, signUp } from './auth.js'

/**
 * What one log-in costs: the password hash alone (the lesson's hashPassword and verifyPassword,
 * timed here in the bench's own process while no server runs) and a whole POST /auth/login
 * over HTTP (the hash, the user's row, signing the JWT).
 */

/** How many times each is timed. */
export const LOGIN_RUNS = 20

/**
 * The lessons allow 5 log-ins a minute per email and address (src/auth/login-limit.ts), so the
 * HTTP log-ins are spread over several users, this many each: below the limit, never a 429.
 */
export const LOGINS_PER_USER = 4

/** Times in milliseconds. */
export interface Timing {
  runs: number
  median: number
  p95: number
}

export interface LoginCost {
  /** The lesson's number ('10'). */
  lesson: string
  hash?: Timing
  verify?: Timing
  login?: Timing
  /** Why a part was not measured. */
  notes: string[]
  /** A part failed (not merely missing): the run's numbers are incomplete. */
  failed?: boolean
}

/** The value below which `fraction` of `sorted` (ascending) lies, interpolated between ranks. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = (sorted.length - 1) * fraction
  const low = Math.floor(rank)
  const lower = sorted[low] as number
  const upper = sorted[Math.min(low + 1, sorted.length - 1)] as number
  return lower + (upper - lower) * (rank - low)
}

export function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b)
  return { runs: samples.length, median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) }
}

async function timeEach(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn() // one warm-up, not counted: the first call loads and allocates
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await fn()
    samples.push(performance.now() - started)
  }
  return samples
}

interface PasswordModule {
  hashPassword: (password: string) => Promise<string>
  verifyPassword: (password: string, stored: string) => Promise<boolean>
}

/** Time the lesson's hashPassword and verifyPassword (src/users/password.ts), one after another. */
export async function timePasswordHashing(
  lessonDir: string,
  runs = LOGIN_RUNS,
): Promise<{ hash: Timing; verify: Timing }> {
  const file = join(lessonDir, 'src', 'users', 'password.ts')
  if (!existsSync(file)) throw new Error('it has no src/users/password.ts')
  const module = (await import(pathToFileURL(file).href)) as Partial<PasswordModule>
  const { hashPassword, verifyPassword } = module
  if (typeof hashPassword !== 'function' || typeof verifyPassword !== 'function') {
    throw new Error('its src/users/password.ts exports no hashPassword and verifyPassword')
  }
  const hash = summarise(await timeEach(runs, () => hashPassword(BENCH_PASSWORD)))
  const stored = await hashPassword(BENCH_PASSWORD)
  const verify = summarise(
    await timeEach(runs, async () => {
      if (!(await verifyPassword(BENCH_PASSWORD, stored))) {
        throw new Error('verifyPassword said no to the right password')
      }
    }),
  )
  return { hash, verify }
}

/**
 * Time whole POST /auth/login round trips against a running lesson server: fresh users signed
 * up first (through the API), then `runs` log-ins one after the other, each to the answer's end.
 */
export async function timeLogins(baseUrl: string, runs = LOGIN_RUNS): Promise<Timing> {
  const users = Math.ceil(runs / LOGINS_PER_USER)
  // pid and time: a second run on the same DATABASE_URL server uses other emails.
  const tag = `${process.pid}-${Date.now()}`
  const emails = Array.from({ length: users + 1 }, (_, i) => `login-${tag}-${i}@bench.example`)
  await Promise.all(emails.map((email) => signUp(baseUrl, email)))
  // The last user only warms the route up, so its first answer is not counted.
  await logIn(baseUrl, emails[users] as string)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const email = emails[Math.floor(i / LOGINS_PER_USER)] as string
    const started = performance.now()
    await logIn(baseUrl, email)
    samples.push(performance.now() - started)
  }
  return summarise(samples)
}
