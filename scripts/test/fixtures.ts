import type { Test } from 'tap'
import { type Context, createContext } from '../src/context.js'

/** The bit of a tap test the fixtures need: a temp folder that is removed afterwards. */
type TestDir = Pick<Test, 'testdir'>

function pkg(id: string, description: string, scripts: Record<string, string>, extra = {}) {
  return JSON.stringify(
    {
      name: `@kitchen/lesson-${id}`,
      version: '1.0.0',
      private: true,
      description,
      type: 'module',
      scripts: { start: 'node server.js', ...scripts },
      dependencies: { fastify: 'catalog:' },
      ...extra,
    },
    null,
    2,
  )
}

const pass = 'node -e "process.exit(0)"'
const readme = '# Lesson\n\nSome text with `code`.\n\n<!-- marker -->\n```sh\ncurl x\n```\n'
const fail = 'node -e "process.exit(1)"'

/**
 * A small repository with four lessons, each the one before plus one change:
 * 01 and 02 have a README, 02 adds a route file (and has build leftovers that diff must ignore),
 * 03 adds a dependency and its tests fail, 04 passes again.
 */
export function fixtureRepo(t: TestDir): string {
  return t.testdir({
    lessons: {
      '01-hello': {
        'package.json': pkg('01-hello', 'A server answers', { test: pass }),
        'README.md': readme,
        src: { 'app.ts': 'export const routes = ["/health"]\n' },
      },
      '02-routes': {
        'package.json': pkg('02-routes', 'Routes and status codes', { test: pass }),
        'README.md': readme,
        src: {
          'app.ts': 'export const routes = ["/health", "/todos"]\n',
          'todos.ts': 'export const todos = []\n',
        },
        node_modules: { 'junk.js': 'installed\n' },
        '.tap': { 'result.tap': 'ok\n' },
        dist: { 'app.js': 'built\n' },
        'tsconfig.tsbuildinfo': '{}\n',
        'pnpm-lock.yaml': 'lock\n',
      },
      '03-validation': {
        'package.json': pkg(
          '03-validation',
          'Validation',
          { test: fail },
          { devDependencies: { ajv: 'catalog:' } },
        ),
        src: {
          'app.ts': 'export const routes = ["/health", "/todos"]\n',
          'todos.ts': 'export const todos = []\nexport const schema = {}\n',
        },
      },
      '04-errors': {
        'package.json': pkg('04-errors', 'Errors', { test: pass }),
        src: { 'app.ts': 'export const routes = ["/health", "/todos"]\n' },
      },
      // Not lessons: no number, or no package.json yet.
      notes: { 'x.md': 'x\n' },
      '05-draft': { 'README.md': 'soon\n' },
    },
  })
}

/** A context writing into arrays instead of the terminal; lesson scripts' output is dropped. */
export function testContext(root: string, overrides: Partial<Context> = {}) {
  const out: string[] = []
  const err: string[] = []
  const ctx = createContext(root, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    color: false,
    childStdio: 'ignore',
    env: { ...process.env },
    ...overrides,
  })
  return { ctx, stdout: () => out.join('\n'), stderr: () => err.join('\n') }
}
