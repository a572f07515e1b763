import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'

/**
 * A fake `tap` for fixture lessons: writes one results file the way tap does, with one
 * behaviour that passes only when src/app.ts says "validated", and exits 1 if it fails.
 */
const fakeTap = `
const fs = require('node:fs')
const good = fs.existsSync('src/app.ts') && fs.readFileSync('src/app.ts', 'utf8').includes('validated')
fs.mkdirSync('.tap/test-results/test', { recursive: true })
const sub = good ? '    ok 1 - should be equal\\n' : '    not ok 1 - should be equal\\n      ---\\n      diff: |\\n        --- expected\\n        +++ actual\\n        -400\\n        +201\\n      ...\\n'
fs.writeFileSync('.tap/test-results/test/todos.test.ts.tap',
  'TAP version 14\\n# Subtest: lists the to-dos\\n    ok 1 - fine\\n    1..1\\nok 1 - lists the to-dos\\n' +
  '# Subtest: rejects a to-do without a title\\n' + sub + '    1..1\\n' +
  (good ? 'ok' : 'not ok') + ' 2 - rejects a to-do without a title\\n1..2\\n')
process.exit(good ? 0 : 1)
`

function pkg(id: string, title: string, scripts: Record<string, string> = {}) {
  return JSON.stringify(
    {
      name: `@kitchen/lesson-${id}`,
      version: '1.0.0',
      description: title,
      type: 'module',
      scripts: { test: 'tap', ...scripts },
    },
    null,
    2,
  )
}

/** Three lessons that practice and check can work with: 03 adds validation to 02. */
export function practiceRepo(t: Pick<Test, 'testdir'>): string {
  const root = t.testdir({
    lessons: {
      '01-hello': {
        'package.json': pkg('01-hello', 'Hello'),
        'README.md': '# Lesson 01\n\nAfter this lesson a server answers.\n',
        src: { 'app.ts': 'export const hello = 1\n' },
        test: { 'hello.test.ts': '// hello\n' },
      },
      '02-routes': {
        'package.json': pkg('02-routes', 'Routes'),
        'README.md': '# Lesson 02\n\nRoutes.\n',
        'tsconfig.json': '{}\n',
        src: { 'app.ts': 'export const routes = 1\n', todos: { 'store.ts': 'export {}\n' } },
        test: { 'todos.test.ts': '// lesson 02 tests\n' },
        '.tap': { 'junk.tap': 'x\n' },
      },
      '03-validation': {
        'package.json': pkg('03-validation', 'Validation'),
        'README.md': '# Lesson 03\n\nAfter this lesson bad input never reaches your code.\n',
        'hints.md':
          '<!-- practise -->\nIn this lesson you write `src/todos/schemas.ts`.\n\n## Hint 1: a nudge\nLook at the routes.\n\n## Hint 2\nUse a schema.\n\n## Hint 3: nearly there\nAdd `schema: { body }`.\n',
        'tsconfig.json': '{}\n',
        src: {
          'app.ts': 'export const routes = 1 // validated\n',
          todos: { 'store.ts': 'export {}\n', 'schemas.ts': 'export const Todo = {}\n' },
        },
        test: { 'todos.test.ts': '// lesson 03 tests\n', 'helpers.ts': 'export {}\n' },
        node_modules: {
          '.bin': { tap: '#!/bin/sh\nexec node "$(dirname "$0")/../fake-tap.cjs"\n' },
          'fake-tap.cjs': fakeTap,
        },
      },
    },
  })
  chmodSync(join(root, 'lessons/03-validation/node_modules/.bin/tap'), 0o755)
  mkdirSync(join(root, 'lessons/01-hello/node_modules'))
  return root
}
