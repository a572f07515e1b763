import { randomBytes, type ScryptOptions, scrypt } from 'node:crypto'
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
