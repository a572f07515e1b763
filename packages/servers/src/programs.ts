import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Environment variables, such as `process.env`. */
export type Env = Record<string, string | undefined>

/** A program was found: the path to run. */
export interface FoundProgram {
  path: string
}

/** No program was found: why, and exactly how to get one. Tests report themselves skipped with it. */
export interface MissingProgram {
  reason: string
}

export interface FindOptions {
  /** Where to read the variable naming the program, and PATH. Default: `process.env`. */
  env?: Env
  /**
   * Paths tried after the PATH, such as /usr/sbin/nginx, which is often not on a normal user's
   * PATH. Default: the usual places for the program.
   */
  also?: string[]
}

/** A server failed to start (or its program is missing); the message says what to do. */
export class ServerStartError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ServerStartError'
  }
}

/**
 * Find a program: the one the variable `variable` names (a path, or a name looked up on the
 * PATH), else `name` on the PATH, else the first of `also` that exists. Looks at files only:
 * nothing is run.
 */
export function findProgram(spec: {
  name: string
  variable: string
  also: string[]
  howToInstall: string
  options: FindOptions
}): FoundProgram | MissingProgram {
  const env = spec.options.env ?? process.env
  const named = env[spec.variable]
  if (named) {
    const path = onPath(named, env)
    // Named but not there: say so, rather than quietly using some other copy.
    if (path) return { path }
    return {
      reason: `${spec.variable} is "${named}", which is not an executable file: set it to the path of ${spec.name}, or leave it out to look for ${spec.name} on the PATH. ${spec.howToInstall}`,
    }
  }
  const path = onPath(spec.name, env) ?? (spec.options.also ?? spec.also).find(isExecutable)
  if (path) return { path }
  return {
    reason: `No ${spec.name} was found (${spec.variable} is not set, and there is none on the PATH). ${spec.howToInstall} Or set ${spec.variable} to the path of ${spec.name}.`,
  }
}

/** A path to an executable file, or a name looked up in each folder of the PATH. */
export function onPath(name: string, env: Env): string | undefined {
  if (name.includes('/') || name.includes('\\')) return isExecutable(name) ? name : undefined
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : ['']
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue
    for (const suffix of suffixes) {
      const path = join(folder, name + suffix)
      if (isExecutable(path)) return path
    }
  }
  return undefined
}

/** An existing file this process may run. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}
