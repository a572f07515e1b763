import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder holding pnpm-workspace.yaml, found by walking up from this file. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from)
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`No pnpm-workspace.yaml above ${from}.`)
    dir = parent
  }
  return dir
}

export function isRoot(): boolean {
  return process.getuid?.() === 0
}

export interface Owner {
  uid: number
  gid: number
}

/**
 * Can the user `owner` walk down to `dir`? Every folder on the way needs its "x" bit for that
 * user (as owner, group or anyone else). A folder that does not exist yet counts as passable:
 * we create it with mode 755. Supplementary groups are ignored, which only errs on the safe side.
 */
export function canReach(dir: string, owner: Owner): boolean {
  return firstBlockedFolder(dir, owner) === undefined
}

/** The first folder on the way to `dir` that `owner` cannot pass, for error messages. */
export function firstBlockedFolder(dir: string, owner: Owner): string | undefined {
  const folders: string[] = []
  for (let current = resolve(dir); ; current = dirname(current)) {
    folders.unshift(current)
    if (dirname(current) === current) break
  }
  return folders.find((folder) => !passable(folder, owner))
}

function passable(folder: string, owner: Owner): boolean {
  let stat: ReturnType<typeof statSync>
  try {
    stat = statSync(folder)
  } catch {
    return true
  }
  if (stat.uid === owner.uid) return (stat.mode & 0o100) !== 0
  if (stat.gid === owner.gid) return (stat.mode & 0o010) !== 0
  return (stat.mode & 0o001) !== 0
}

/** A short, stable name for this copy of the repository (two clones get two names). */
export function repoHash(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 8)
}

/**
 * A temporary folder every user can reach: os.tmpdir() normally, /tmp when TMPDIR points at a
 * private folder (as root, Postgres runs as the `postgres` user and must get in).
 */
export function sharedTempDir(owner: Owner | undefined): string {
  const candidates = [tmpdir(), '/tmp']
  for (const dir of candidates) {
    if (!owner || canReach(dir, owner)) return dir
  }
  throw new Error(
    `The postgres user cannot reach ${tmpdir()} or /tmp. Set TMPDIR to a folder every user can enter.`,
  )
}

export interface DataRoot {
  /** Where `dev` (the learner's database) and `test-template` live. */
  dir: string
  /** True when the repository could not be used and we fell back to a temporary folder. */
  fallback: boolean
}

/**
 * Where the embedded database keeps its files: `<repo>/.pgdata`, git-ignored. As root the server
 * runs as the `postgres` user, which cannot enter a repository inside a private (mode 700)
 * folder such as /root or a `mktemp -d` folder; then the data lives in a temporary folder named
 * after the repository instead.
 */
export function dataRoot(root: string, owner: Owner | undefined): DataRoot {
  const inRepo = join(root, '.pgdata')
  if (!owner || canReach(inRepo, owner)) return { dir: inRepo, fallback: false }
  return { dir: join(sharedTempDir(owner), `backend-kitchen-${repoHash(root)}`), fallback: true }
}
