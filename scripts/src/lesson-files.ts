import { basename } from 'node:path'

/** Folders and files that are built, installed or generated, never part of what a lesson teaches. */
const SKIP_DIRS = new Set(['node_modules', '.tap', '.turbo', 'dist', '.git'])
const SKIP_FILES =
  /(\.tsbuildinfo|^pnpm-lock\.yaml|^package-lock\.json|^yarn\.lock|^\.DS_Store|^\.env)$/

/**
 * Is this file or folder (under the lesson folder `root`) part of the lesson? Used as a copy
 * filter by `pnpm lesson diff` and by the playground.
 */
export function keep(source: string, root: string): boolean {
  if (source === root) return true
  const name = basename(source)
  return !SKIP_DIRS.has(name) && !SKIP_FILES.test(name)
}
