import { chmod, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { canReach, dataRoot, firstBlockedFolder, repoHash, repoRoot } from '../src/paths.js'
import { tempFolder } from './helpers.js'

// Someone who owns none of these folders, like the `postgres` user looking at root's files.
const stranger = { uid: 54321, gid: 54321 }

t.test('finds the repository root from inside a package', async (t) => {
  const root = repoRoot(import.meta.dirname)
  t.equal(repoRoot(join(root, 'packages', 'db', 'src')), root)
})

t.test('a folder inside a private (700) folder cannot be reached by other users', async (t) => {
  const folder = await tempFolder(t)
  const repo = join(folder, 'private', 'repo')
  await mkdir(repo, { recursive: true })
  await chmod(join(folder, 'private'), 0o700)
  t.notOk(canReach(repo, stranger))
  t.equal(firstBlockedFolder(repo, stranger), join(folder, 'private'))
  t.ok(canReach(repo, { uid: process.getuid?.() ?? 0, gid: 0 }), 'its owner can')
})

t.test('folders that do not exist yet count as reachable (we create them open)', async (t) => {
  const folder = await tempFolder(t)
  t.ok(canReach(join(folder, 'not', 'yet'), stranger))
})

t.test(
  'as root, a repository in a private folder keeps its data in a temporary folder',
  async (t) => {
    const folder = await tempFolder(t)
    const repo = join(folder, 'private', 'repo')
    await mkdir(repo, { recursive: true })
    await chmod(join(folder, 'private'), 0o700)
    const root = dataRoot(repo, stranger)
    t.ok(root.fallback)
    t.equal(root.dir, join(tmpdir(), `backend-kitchen-${repoHash(repo)}`))
  },
)

t.test('a reachable repository keeps its data in .pgdata', async (t) => {
  const folder = await tempFolder(t)
  t.same(dataRoot(folder, stranger), { dir: join(folder, '.pgdata'), fallback: false })
})

t.test('not as root, the data always stays in the repository', async (t) => {
  t.same(dataRoot('/root/private/repo', undefined), {
    dir: '/root/private/repo/.pgdata',
    fallback: false,
  })
})

t.test('two copies of the repository get two temporary folders', async (t) => {
  t.not(repoHash('/tmp/a/repo'), repoHash('/tmp/b/repo'))
  t.equal(repoHash('/tmp/a/repo'), repoHash('/tmp/a/repo'))
})
