import t from 'tap'
import { DEFAULT_PASSWORD_COST, hashPassword, verifyPassword } from '../src/users/password.js'
import { testPasswordCost } from './helpers.js'

t.test(
  'by default a hash is scrypt$32768$8$1$salt$key: a 16-byte salt, a 64-byte key',
  async (t) => {
    t.equal(DEFAULT_PASSWORD_COST, 2 ** 15)
    // The one hash at the real cost in this lesson's tests: about a tenth of a second.
    const started = performance.now()
    const hash = await hashPassword('correct horse battery staple')
    t.comment(`one hash at the default cost took ${Math.round(performance.now() - started)} ms`)
    const [name, N, r, p, salt, key] = hash.split('$')
    t.same([name, N, r, p], ['scrypt', '32768', '8', '1'])
    t.equal(Buffer.from(salt ?? '', 'base64').length, 16)
    t.equal(Buffer.from(key ?? '', 'base64').length, 64)
  },
)

t.test('the cost is a parameter, and the hash says which one was used', async (t) => {
  const hash = await hashPassword('correct horse battery staple', testPasswordCost)
  t.match(hash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/)
})

t.test('the same password hashes differently every time (a random salt)', async (t) => {
  const first = await hashPassword('same password here', testPasswordCost)
  const second = await hashPassword('same password here', testPasswordCost)
  t.not(first, second)
  t.not(first.split('$')[4], second.split('$')[4], 'another salt')
})

t.test('the hash does not contain the password', async (t) => {
  const hash = await hashPassword('correct horse battery staple', testPasswordCost)
  t.notMatch(hash, 'correct horse')
  t.notMatch(hash, Buffer.from('correct horse battery staple').toString('base64'))
})

t.test('verifyPassword accepts the right password and rejects a wrong one', async (t) => {
  const hash = await hashPassword('correct horse battery staple', testPasswordCost)
  t.equal(await verifyPassword('correct horse battery staple', hash), true)
  t.equal(await verifyPassword('correct horse battery stapler', hash), false)
  t.equal(await verifyPassword('Correct horse battery staple', hash), false)
  t.equal(await verifyPassword('', hash), false)
})

t.test('a hash made at another cost still checks: the hash says how it was made', async (t) => {
  const cheap = await hashPassword('same password here', 2 ** 4)
  t.equal(await verifyPassword('same password here', cheap), true)
  t.equal(await verifyPassword('another password', cheap), false)
})

t.test('a damaged or foreign hash never matches, and never throws', async (t) => {
  const hash = await hashPassword('correct horse battery staple', testPasswordCost)
  const damaged = [
    '',
    'plain text',
    hash.replace('scrypt', 'sha256'),
    hash.replace('$1024$', '$3$'), // N must be a power of two: scrypt refuses it
    hash.split('$').slice(0, 5).join('$'),
    `${hash.slice(0, -4)}AAA=`,
    `${hash.split('$').slice(0, 5).join('$')}$`,
  ]
  for (const stored of damaged) {
    t.equal(await verifyPassword('correct horse battery staple', stored), false, stored)
  }
})
