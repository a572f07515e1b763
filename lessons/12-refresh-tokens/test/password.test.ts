import t from 'tap'
import { hashPassword, verifyPassword } from '../src/users/password.js'

t.test('a hash is scrypt$N$r$p$salt$key, with a 16-byte salt and a 64-byte key', async (t) => {
  const hash = await hashPassword('correct horse battery staple')
  const [name, N, r, p, salt, key] = hash.split('$')
  t.same([name, N, r, p], ['scrypt', '32768', '8', '1'])
  t.equal(Buffer.from(salt ?? '', 'base64').length, 16)
  t.equal(Buffer.from(key ?? '', 'base64').length, 64)
})

t.test('verifyPassword accepts the right password and rejects a wrong one', async (t) => {
  const hash = await hashPassword('correct horse battery staple')
  t.equal(await verifyPassword('correct horse battery staple', hash), true)
  t.equal(await verifyPassword('correct horse battery stapler', hash), false)
  t.equal(await verifyPassword('Correct horse battery staple', hash), false)
  t.equal(await verifyPassword('', hash), false)
})

t.test('the same password hashes differently every time (a random salt)', async (t) => {
  const first = await hashPassword('same password here')
  const second = await hashPassword('same password here')
  t.not(first, second)
  t.equal(await verifyPassword('same password here', first), true)
  t.equal(await verifyPassword('same password here', second), true)
})

t.test('a damaged or foreign hash never matches, and never throws', async (t) => {
  const hash = await hashPassword('correct horse battery staple')
  const damaged = [
    '',
    'plain text',
    hash.replace('scrypt', 'sha256'),
    hash.replace('$32768$', '$3$'), // N must be a power of two: scrypt refuses it
    hash.split('$').slice(0, 5).join('$'),
    `${hash.slice(0, -4)}AAA=`,
    `${hash.split('$').slice(0, 5).join('$')}$`,
  ]
  for (const stored of damaged) {
    t.equal(await verifyPassword('correct horse battery staple', stored), false, stored)
  }
})
