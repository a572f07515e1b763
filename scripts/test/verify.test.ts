import t from 'tap'
import { testCommand } from '../src/commands/test.js'
import { verifyCommand } from '../src/commands/verify.js'
import { loadProgress, progressFile } from '../src/progress.js'
import { fixtureRepo, testContext } from './fixtures.js'

t.test('verify stops at the first failing lesson and says which', async (t) => {
  const root = fixtureRepo(t)
  const { ctx, stdout } = testContext(root)
  t.equal(await verifyCommand(ctx), 1)
  t.match(stdout(), 'Lesson 03 (Validation) fails: work on it with `pnpm lesson test 03`')
  t.notMatch(stdout(), 'Testing lesson 04', 'lessons after the failure are not run')
  const { lessons } = loadProgress(progressFile(root)).progress
  t.equal(lessons.hello?.lastTest?.result, 'passed')
  t.equal(lessons.routes?.lastTest?.result, 'passed')
  t.equal(lessons.validation?.lastTest?.result, 'failed')
  t.equal(lessons.errors, undefined)
})

t.test('verify with every lesson green says so', async (t) => {
  const root = fixtureRepo(t)
  const { rmSync } = await import('node:fs')
  rmSync(`${root}/lessons/03-validation`, { recursive: true })
  const { ctx, stdout } = testContext(root)
  t.equal(await verifyCommand(ctx), 0)
  t.match(stdout(), /All 3 lessons pass\.$/)
})

t.test('test records the result and passes the exit code on', async (t) => {
  const root = fixtureRepo(t)
  const { ctx, stdout } = testContext(root)
  t.equal(await testCommand(ctx, '3'), 1)
  t.match(stdout(), 'Lesson 03 fails (exit code 1).')
  t.equal(await testCommand(ctx, '01-hello'), 0)
  t.match(stdout(), 'Lesson 01 passes.')
  const { lessons } = loadProgress(progressFile(root)).progress
  t.equal(lessons.validation?.lastTest?.exitCode, 1)
  t.equal(lessons.hello?.lastTest?.result, 'passed')
})

t.test("test finds the tools in the lesson's node_modules/.bin", async (t) => {
  const root = t.testdir({
    lessons: {
      '01-x': {
        'package.json': JSON.stringify({
          name: 'x',
          description: 'X',
          scripts: { test: 'mytool 5' },
        }),
        node_modules: { '.bin': { mytool: '#!/bin/sh\nexit "$1"\n' } },
      },
    },
  })
  const { chmodSync } = await import('node:fs')
  chmodSync(`${root}/lessons/01-x/node_modules/.bin/mytool`, 0o755)
  const { ctx } = testContext(root)
  t.equal(await testCommand(ctx, '1'), 5)
})
