import t, { type Test } from 'tap'
import { conformanceCommand } from '../src/commands/conformance.js'
import { fixtureRepo, testContext } from './fixtures.js'

/** A package.json whose `conformance` script exits with `code` (the suite's verdict). */
function lesson(id: string, description: string, code?: number) {
  const scripts = code === undefined ? {} : { conformance: `node -e "process.exit(${code})"` }
  return { 'package.json': JSON.stringify({ name: `@kitchen/lesson-${id}`, description, scripts }) }
}

/** Lessons 01-03, of which 02 and 03 have a suite (03's passes, 02's fails); maybe a copy of 03. */
function capstoneRepo(t: Pick<Test, 'testdir'>, copyExitCode?: number) {
  return t.testdir({
    lessons: {
      '01-hello': lesson('01-hello', 'A server answers'),
      '02-draft': lesson('02-draft', 'An older capstone', 5),
      '03-realworld': lesson('03-realworld', 'Capstone', 0),
    },
    ...(copyExitCode !== undefined && {
      playground: { '03-realworld': lesson('03-realworld', 'Your copy', copyExitCode) },
    }),
  })
}

t.test(
  'conformance runs the suite of the last lesson that has one, and passes on its exit code',
  async (t) => {
    const { ctx, stdout } = testContext(capstoneRepo(t))
    t.equal(await conformanceCommand(ctx), 0, "03's suite, which passes, not 02's")
    t.match(stdout(), "RealWorld's official API suite against lesson 03: Capstone")
  },
)

t.test('conformance --mine runs the suite against the practice copy', async (t) => {
  const { ctx, stdout } = testContext(capstoneRepo(t, 7))
  t.equal(await conformanceCommand(ctx, { mine: true }), 7)
  t.match(stdout(), 'against your copy of lesson 03 (playground/03-realworld)')
})

t.test('conformance --mine without a copy says how to make one', async (t) => {
  const { ctx, stderr } = testContext(capstoneRepo(t))
  t.equal(await conformanceCommand(ctx, { mine: true }), 1)
  t.match(stderr(), 'make one with `pnpm lesson practice 03`')
})

t.test('conformance without a lesson that has a suite says so', async (t) => {
  const { ctx, stderr } = testContext(fixtureRepo(t))
  t.equal(await conformanceCommand(ctx), 1)
  t.match(stderr(), 'No lesson has an official suite to run')
})
