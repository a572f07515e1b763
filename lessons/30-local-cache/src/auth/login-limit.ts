import type { RateLimitOptions } from '@fastify/rate-limit'
import type { FastifyReply } from 'fastify'
import type { Cache } from '../cache.js'
import { HttpError } from '../error-handler.js'

/** A 429 in the one error shape, with Retry-After: how many seconds to wait. */
function tooMany(reply: FastifyReply, seconds: number, message: string) {
  reply.header('retry-after', seconds)
  return new HttpError(429, 'TOO_MANY_REQUESTS', message)
}

const tooManyAttempts = (reply: FastifyReply, what: string, wait: number) =>
  tooMany(reply, wait, `Too many login attempts for ${what}. Try again in ${wait} seconds.`)

/**
 * In Redis, a count is a key (`login:<address>|<email>`, `login:<address>`) that expires a minute
 * after its first attempt. A script runs in Redis in one go, nobody's command in between: so the
 * check and the count are one step, even when two copies of the app count at the same moment.
 * COUNT answers the first full count (1 or 2) and in how many ms it empties, else {0, 0}.
 */
const COUNT = `for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or 0)
  if count >= tonumber(ARGV[i]) then return {i, redis.call('PTTL', key)} end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, 0, 'PX', 60000, 'NX') redis.call('INCR', key) end
return {0, 0}`
/** One off each count: never below 0, and never bringing back a count that has expired. */
const TAKE_BACK = `for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or 0) > 0 then redis.call('DECR', key) end
end
return 1`

/**
 * Log-in attempts for a minute: at most 5 for one email from one address (plenty for a person
 * who mistypes, far too few for a program guessing passwords), and 20 from one address, whatever
 * the emails. An attempt counts from the moment it starts, so a burst cannot slip in before the
 * first one fails; a right password takes its attempt back: only failures add up.
 * Counted in Redis, so every copy of the app shares the counts; in memory while it is down.
 */
export class LoginAttempts {
  private readonly counts = new Map<string, { count: number; resetAt: number }>()
  private readonly now: () => number

  constructor(
    now: () => number,
    private readonly cache: Cache,
  ) {
    this.now = now
  }

  /** Count an attempt, or throw a 429 when the email or the address has used up its attempts. */
  async start(address: string, email: string, reply: FastifyReply): Promise<void> {
    const limits = [
      [`${address}|${email}`, 5, 'this email'],
      [address, 20, 'your address'],
    ] as const
    const keys = limits.map(([key]) => `login:${key}`)
    const maxes = limits.map(([, max]) => max)
    const counted = await this.cache.run((redis) => redis.eval(COUNT, 2, ...keys, ...maxes))
    if (counted) {
      const [full, milliseconds] = counted as [number, number]
      const what = limits[full - 1]?.[2]
      if (what) throw tooManyAttempts(reply, what, Math.ceil(milliseconds / 1000))
      return
    }
    // No Redis, or it failed: count in this process's memory, as before.
    for (const [key, max, what] of limits) {
      const entry = this.counts.get(key)
      const wait = Math.ceil(((entry?.resetAt ?? 0) - this.now()) / 1000)
      if (entry && wait > 0 && entry.count >= max) throw tooManyAttempts(reply, what, wait)
    }
    for (const [key] of limits) this.add(key, 1)
  }

  /** The password was right: this attempt does not count against anybody. */
  async succeeded(address: string, email: string): Promise<void> {
    const keys = [`login:${address}|${email}`, `login:${address}`]
    if (await this.cache.run((redis) => redis.eval(TAKE_BACK, 2, ...keys))) return
    this.add(`${address}|${email}`, -1)
    this.add(address, -1)
  }

  private add(key: string, change: number): void {
    const entry = this.counts.get(key)
    if (entry && entry.resetAt > this.now()) entry.count = Math.max(0, entry.count + change)
    else if (change > 0) this.counts.set(key, { count: change, resetAt: this.now() + 60_000 })
    // Forget finished minutes now and then, so the map cannot grow without end.
    if (this.counts.size > 10_000) {
      for (const [old, { resetAt }] of this.counts)
        if (resetAt <= this.now()) this.counts.delete(old)
    }
  }
}

/**
 * Password hashing is slow on purpose, and runs on libuv's 4 threads, which the database driver
 * needs too: a flood of log-ins must not starve it (the app would answer "database unavailable"
 * while the database is fine). So at most 2 hashes run at once and 50 more wait their turn;
 * past that, a 429 at once.
 */
export function hashingQueue(running = 2, waiting = 50) {
  let active = 0
  const queue: Array<() => void> = []
  return async function hashing<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
    if (active < running) active++
    else if (queue.length < waiting) await new Promise<void>((resolve) => queue.push(resolve))
    else throw tooMany(reply, 1, 'The server is busy checking passwords. Try again in a second.')
    try {
      return await work()
    } finally {
      // Hand this place to the next in line, if any (it does not count itself in again).
      const next = queue.shift()
      if (next) next()
      else active--
    }
  }
}

/** Sign-ups: at most `max` a minute from one address (the plugin sets Retry-After). */
export const signupRateLimit = (max: number): RateLimitOptions => ({
  max,
  timeWindow: '1 minute',
  errorResponseBuilder: (_request, context) =>
    new HttpError(429, 'TOO_MANY_REQUESTS', `Too many sign-ups. Try again in ${context.after}.`),
})
