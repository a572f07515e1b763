import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where each behaviour is written. A lesson runs all its test files in one process
 * (`test/all.ts` imports every `test/*.test.ts`), so tap keeps one results file for the lesson
 * and no longer says which file a behaviour came from. The sources do: each behaviour is a
 * `t.test('<name>', …)` in one of them.
 */
export interface TestIndex {
  /** `test/todos.test.ts`, sorted: every test file of the folder. */
  files: string[]
  /** The file that defines a behaviour of this name, if any does. */
  fileOf(name: string): string | undefined
  /** The names as written in one file (a template literal as its source text). */
  written(file: string): string[]
}

/** A name as written: a plain string, or a template literal with `${…}` in it. */
type Written = string | RegExp

const CALL = /\bt\.test\(\s*(['"`])((?:\\[\s\S]|(?!\1)[^\\])*)\1/g

/** Every behaviour name written in one test file's source, in order. */
export function testNamesIn(source: string): Written[] {
  const names: Written[] = []
  for (const match of source.matchAll(CALL)) {
    const [, quote, body = ''] = match
    if (quote === '`' && body.includes('${')) names.push(templatePattern(body))
    else names.push(unquote(body))
  }
  return names
}

/** `GET ${path} answers 404` → /^GET .+? answers 404$/ */
function templatePattern(body: string): RegExp {
  const parts = body.split(/\$\{[^}]*\}/).map((part) => escapeRegExp(unquote(part)))
  return new RegExp(`^${parts.join('.+?')}$`)
}

function unquote(text: string): string {
  return text.replace(/\\(.)/g, (_, char: string) => ({ n: '\n', t: '\t' })[char] ?? char)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The test files of a folder (`test/*.test.ts`), each with the names it defines. */
export function indexTests(testDir: string): TestIndex {
  const byFile = new Map<string, Written[]>()
  const sources = new Map<string, string>()
  if (existsSync(testDir)) {
    for (const entry of readdirSync(testDir).sort()) {
      if (!entry.endsWith('.test.ts')) continue
      try {
        const source = readFileSync(join(testDir, entry), 'utf8')
        byFile.set(`test/${entry}`, testNamesIn(source))
        sources.set(`test/${entry}`, source)
      } catch {
        // unreadable: it defines nothing we can see
      }
    }
  }
  const exact = new Map<string, string>()
  const patterns: Array<{ file: string; pattern: RegExp }> = []
  for (const [file, names] of byFile) {
    for (const name of names) {
      if (typeof name !== 'string') patterns.push({ file, pattern: name })
      else if (!exact.has(name)) exact.set(name, file)
    }
  }
  return {
    files: [...byFile.keys()],
    fileOf: (name) => exact.get(name) ?? patterns.find(({ pattern }) => pattern.test(name))?.file,
    written: (file) => [...(sources.get(file) ?? '').matchAll(CALL)].map((match) => match[2] ?? ''),
  }
}

/**
 * The test files with something new in them: files the previous lesson does not have, and
 * files where this lesson added a behaviour. What a quick first run after a save runs.
 */
export function filesWithNewTests(own: TestIndex, previous: TestIndex): string[] {
  return own.files.filter((file) => {
    if (!previous.files.includes(file)) return true
    const before = new Set(previous.written(file))
    return own.written(file).some((name) => !before.has(name))
  })
}

/** `todos.test.ts loads`: the test `test/all.ts` adds for a file that cannot even be imported. */
export function loadFailureFile(name: string): string | undefined {
  const match = /^(\S+\.test\.ts) loads$/.exec(name)
  return match ? `test/${match[1]}` : undefined
}
