import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import newman, { type NewmanRunSummary } from 'newman'

/**
 * RealWorld's own files are kept beside this repository, not in it: `../shared/realworld/`
 * seen from the repository's root. This file is in <root>/lessons/<capstone>/test/ (or, in
 * practice mode, <root>/playground/<capstone>/test/), so that is four folders up, then down.
 * REALWORLD_DIR names another folder. A clone of a clone on this computer (such as a fresh
 * clone for CI) looks beside the repository it was cloned from, too.
 */
export const realworldDir = findRealworldDir()

function findRealworldDir(): string {
  const beside = fileURLToPath(new URL('../../../../shared/realworld/', import.meta.url))
  const candidates = [process.env.REALWORLD_DIR, beside, besideOrigin()]
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'postman')))
  return found ? `${resolve(found)}/` : beside
}

/** `<origin>/../shared/realworld/` when this repository was cloned from a folder. */
function besideOrigin(): string | undefined {
  try {
    const root = fileURLToPath(new URL('../../../', import.meta.url))
    const origin = execFileSync('git', ['-C', root, 'config', 'remote.origin.url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
    return isAbsolute(origin) ? join(origin, '..', 'shared', 'realworld') : undefined
  } catch {
    return undefined // not a git clone, or no origin
  }
}

export const collectionFile = `${realworldDir}postman/Conduit.postman_collection.json`
export const openApiFile = `${realworldDir}spec/openapi.yml`

/** Why a test that needs RealWorld's files cannot run, and where to get them. */
export function missing(file: string, what: string, from: string): string | false {
  if (existsSync(file)) return false
  return `${what} is not at ${file}: download it from ${from} and put it there`
}

export const collectionMissing = missing(
  collectionFile,
  'the official Postman collection (Conduit.postman_collection.json)',
  'https://github.com/gothinkster/realworld (its api/ folder)',
)

/**
 * Run the official Postman collection against the API at `apiUrl` (ending in /api) with newman,
 * Postman's runner. The collection reads four variables: the API's address, and a user it
 * registers (a new one every run). `reporters: ['cli']` prints every request and a summary.
 */
export function runOfficialSuite(apiUrl: string, reporters: string[] = []) {
  const username = `conduit${Date.now()}`
  const globalVar = [
    { key: 'APIURL', value: apiUrl },
    { key: 'USERNAME', value: username },
    { key: 'EMAIL', value: `${username}@example.com` },
    { key: 'PASSWORD', value: 'password' },
  ]
  return new Promise<NewmanRunSummary>((resolve, reject) => {
    newman.run({ collection: collectionFile, globalVar, reporters }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    )
  })
}

/** Each failed request or assertion in a line: which request, and what went wrong. */
export function failuresOf(summary: NewmanRunSummary): string[] {
  return summary.run.failures.map(
    (failure) => `${failure.source?.name ?? '?'}: ${failure.error.message}`,
  )
}
