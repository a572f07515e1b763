import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

/**
 * Passwords are never stored, only a *hash*: a one-way fingerprint. To check a password at
 * login we hash it again and compare. If the database leaks, the thief gets fingerprints, and
 * scrypt makes each guess so slow and memory-hungry that trying millions of passwords per
 * account is out of reach. (SHA-256 is built to be fast: billions of guesses a second on a GPU.)
 *
 * The stored text carries everything needed to check it later, so the costs can be raised
 * for new users without breaking the old hashes:
 *
 *   scrypt$32768$8$1$<salt, base64>$<hash, base64>
 */
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>

/** N: the cost. Work and memory grow with it; each doubling doubles a guesser's work too. */
const N = 2 ** 15
/** r: the block size. Memory used is 128 × N × r bytes = 32 MiB here, per hash. */
const r = 8
/** p: how many times to do it all (in parallel, on a machine that can). */
const p = 1
/** Node refuses to use more memory than this; 32 MiB is needed, so allow 64 MiB. */
const maxmem = 64 * 1024 * 1024
const KEY_LENGTH = 64
const SALT_LENGTH = 16

/** Hash a new password. Each call picks a random salt, so two equal passwords hash differently. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const hash = await scryptAsync(password, salt, KEY_LENGTH, { N, r, p, maxmem })
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$')
}

/** Does this password match the stored hash? False for a wrong password or a damaged hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, cost, blockSize, parallel, saltText, hashText] = stored.split('$')
  if (algorithm !== 'scrypt' || saltText === undefined || hashText === undefined) return false
  const expected = Buffer.from(hashText, 'base64')
  let actual: Buffer
  try {
    actual = await scryptAsync(password, Buffer.from(saltText, 'base64'), expected.length, {
      N: Number(cost),
      r: Number(blockSize),
      p: Number(parallel),
      maxmem,
    })
  } catch {
    return false // parameters that scrypt refuses: not a hash we made
  }
  // timingSafeEqual takes as long for a near miss as for a total miss, so the time an answer
  // takes tells an attacker nothing about how many bytes they got right.
  return expected.length > 0 && timingSafeEqual(actual, expected)
}
