import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify<string, Buffer, number, ScryptOptions, Buffer>(scrypt)

/** scrypt's cost, N: the work one hash takes, for us at sign-up and for a thief at every guess. */
export const DEFAULT_PASSWORD_COST = 2 ** 15
/** The memory one hash takes is 128 × N × r bytes (32 MiB): more than Node allows by default. */
const maxmem = 64 * 1024 * 1024

/** Never store a password, only a slow, salted, one-way hash: scrypt$N$8$1$<salt>$<hash>. */
export async function hashPassword(password: string, N = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16) // new for every hash: equal passwords get different hashes
  const hash = await scryptAsync(password, salt, 64, { N, r: 8, p: 1, maxmem })
  return ['scrypt', N, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$')
}

/** Does the password match the stored hash? False, never a throw, for anything not ours. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, N, r, p, salt, hash] = stored.split('$')
  if (algorithm !== 'scrypt' || salt === undefined || hash === undefined) return false
  const options = { N: Number(N), r: Number(r), p: Number(p), maxmem }
  try {
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), 64, options)
    // As slow for a near miss as for a total miss: the time taken tells a guesser nothing.
    return timingSafeEqual(actual, Buffer.from(hash, 'base64'))
  } catch {
    return false // parameters that scrypt refuses, or a hash of another length: not ours
  }
}
