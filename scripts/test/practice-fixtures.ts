import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'

/**
 * A fake `tap` for fixture lessons, run the way lessons run their tests (every file in one
 * process, through test/all.ts): writes one results file, `test/all.ts.tap`, with
 *   - "lists the to-dos" (lesson 02's, in test/todos.test.ts): always passes;
 *   - "rejects a to-do without a title" (new in test/todos.test.ts): passes only when
 *     src/app.ts says "validated";
 *   - "rejects bad input" (test/validation.test.ts, a template-literal name): passes likewise;
 * and, when src/app.ts says "BROKEN", a failing "validation.test.ts loads" instead of the last.
 * Given files (`tap test/todos.test.ts`), it writes a results file for each of them instead.
 * Exits 1 when anything fails.
 */
const fakeTap = `
const fs = require('node:fs')
const app = fs.existsSync('src/app.ts') ? fs.readFileSync('src/app.ts', 'utf8') : ''
const good = app.includes('validated')
const broken = app.includes('BROKEN')
const fail = '    not ok 1 - should be equal\\n      ---\\n      diff: |\\n        --- expected\\n        +++ actual\\n        -400\\n        +201\\n      at:\\n        fileName: test/todos.test.ts\\n        lineNumber: 12\\n      ...\\n'
const behaviour = (n, name, ok, sub) =>
  '# Subtest: ' + name + '\\n' + (sub || (ok ? '    ok 1 - fine\\n' : fail)) + '    1..1\\n' + (ok ? 'ok ' : 'not ok ') + n + ' - ' + name + ' # time=1ms\\n\\n'
const load = '    not ok 1 - Cannot find module ' + "'" + process.cwd() + '/src/nope.js' + "'" + ' imported from ' + process.cwd() + '/test/validation.test.ts\\n      ---\\n      at:\\n        fileName: test/all.ts\\n        lineNumber: 17\\n      ...\\n'
fs.mkdirSync('.tap/test-results/test', { recursive: true })
const files = process.argv.slice(2)
const third = broken ? behaviour(3, 'validation.test.ts loads', false, load) : behaviour(3, 'rejects bad input', good)
if (files.length === 0) {
  fs.writeFileSync('.tap/test-results/test/all.ts.tap', 'TAP version 14\\n' +
    behaviour(1, 'lists the to-dos', true) +
    behaviour(2, 'rejects a to-do without a title', good) + third + '1..3\\n')
}
// \`tap test/x.test.ts\`: each file named runs on its own, with a results file of its own.
for (const file of files) {
  const body = file === 'test/todos.test.ts'
    ? behaviour(1, 'lists the to-dos', true) + behaviour(2, 'rejects a to-do without a title', good) + '1..2\\n'
    : behaviour(1, 'rejects bad input', good) + '1..1\\n'
  fs.writeFileSync('.tap/test-results/' + file + '.tap', 'TAP version 14\\n' + body)
}
process.exit(good && !broken ? 0 : 1)
`

/** A fake `tsc`: one type error when src/app.ts says "TYPE_ERROR", none otherwise. */
const fakeTsc = `
const fs = require('node:fs')
if (fs.readFileSync('src/app.ts', 'utf8').includes('TYPE_ERROR')) {
  console.log("src/app.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.")
  console.log('  The expected type comes from here.')
  process.exit(2)
}
`

const todosTest = (names: string[]) =>
  `import t from 'tap'\n${names.map((name) => `t.test('${name}', async () => {})\n`).join('')}`

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

/** Three lessons that practice and check can work with: 03 adds validation to 02 (and a test file). */
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
        test: { 'todos.test.ts': todosTest(['lists the to-dos']) },
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
        test: {
          'todos.test.ts': todosTest(['lists the to-dos', 'rejects a to-do without a title']),
          'validation.test.ts': `t.test(\`rejects $\{'bad'} input\`, async () => {})\n`,
          'all.ts': '// imports every test file\n',
          'helpers.ts': 'export {}\n',
        },
        node_modules: {
          '.bin': {
            tap: '#!/bin/sh\nexec node "$(dirname "$0")/../fake-tap.cjs" "$@"\n',
            tsc: '#!/bin/sh\nexec node "$(dirname "$0")/../fake-tsc.cjs"\n',
          },
          'fake-tap.cjs': fakeTap,
          'fake-tsc.cjs': fakeTsc,
        },
      },
    },
  })
  chmodSync(join(root, 'lessons/03-validation/node_modules/.bin/tap'), 0o755)
  chmodSync(join(root, 'lessons/03-validation/node_modules/.bin/tsc'), 0o755)
  mkdirSync(join(root, 'lessons/01-hello/node_modules'))
  return root
}
