import { cpSync, mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { checkCommand } from '../src/commands/check.js'
import { practiceCommand } from '../src/commands/practice.js'
import { loadProgress, progressFile } from '../src/progress.js'
import { testContext } from './fixtures.js'

/**
 * The real thing, end to end: a repository holding the real lessons 02 and 03 (linked, so
 * their node_modules come along), a playground made from lesson 02 that fails lesson 03's
 * tests, and passes them once lesson 03's own src/ is copied in.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url))

t.test('a copy of lesson 02 fails lesson 03 until it has lesson 03’s code', async (t) => {
  const root = t.testdir({ lessons: {} })
  for (const id of ['02-rest-routes', '03-validation']) {
    symlinkSync(join(repo, 'lessons', id), join(root, 'lessons', id), 'dir')
  }
  symlinkSync(join(repo, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'))
  mkdirSync(join(root, 'playground'))

  const { ctx } = testContext(root)
  t.equal(await practiceCommand(ctx, '3', { force: false }), 0)

  const failing = testContext(root)
  t.equal(await checkCommand(failing.ctx, '3'), 1)
  t.match(failing.stdout(), 'test/validation.test.ts')
  t.match(failing.stdout(), '✘ an unknown field in a new to-do is rejected, not silently dropped')
  t.match(
    failing.stdout(),
    /From earlier lessons\n[\s\S]*✔ \d+ behaviours from earlier lessons still pass/,
  )
  t.match(failing.stdout(), 'Type check (tsc)')
  t.match(failing.stdout(), /\d+ of \d+ behaviours pass\./)
  t.equal(loadProgress(progressFile(root)).progress.lessons.validation?.practice?.state, 'current')

  cpSync(join(repo, 'lessons/03-validation/src'), join(root, 'playground/03-validation/src'), {
    recursive: true,
  })
  const passing = testContext(root)
  t.equal(await checkCommand(passing.ctx, '3'), 0)
  t.notMatch(passing.stdout(), '✘')
  t.match(passing.stdout(), 'lesson 03 (Validation with schemas) is done!')
  t.match(passing.stdout(), 'Your copy has the same files as lesson 03.')
  t.equal(loadProgress(progressFile(root)).progress.lessons.validation?.practice?.state, 'done')
})
