import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { practiceCommand } from '../src/commands/practice.js'
import { watchCommand } from '../src/commands/watch.js'
import { testContext } from './fixtures.js'
import { practiceRepo } from './practice-fixtures.js'

async function until(condition: () => boolean, ms = 10_000) {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

for (const poll of [false, true]) {
  t.test(`watch checks at once, then again after a save${poll ? ' (--poll)' : ''}`, async (t) => {
    const root = practiceRepo(t)
    const { ctx, stdout } = testContext(root)
    await practiceCommand(ctx, '3', { force: false })
    const controller = new AbortController()
    const runs = () => stdout().match(/── \d\d:\d\d:\d\d .*: checking lesson 03 ──/g)?.length ?? 0
    const done = watchCommand(ctx, '3', {
      poll,
      signal: controller.signal,
      debounceMs: 50,
      pollMs: 50,
    })
    await until(() => stdout().includes('Watching playground/03-validation/src'))
    t.equal(runs(), 1)
    t.match(stdout(), '1 of 3 behaviours pass.')

    // Two saves in a burst make one run.
    const app = join(root, 'playground/03-validation/src/app.ts')
    writeFileSync(app, 'export const routes = 2\n')
    writeFileSync(app, 'export const routes = 2 // validated\n')
    await until(() => stdout().includes('All 3 behaviours pass'))
    t.equal(runs(), 2)
    t.match(stdout(), 'src/app.ts changed: checking lesson 03')
    const second = stdout().slice(stdout().lastIndexOf('src/app.ts changed'))
    t.match(
      second,
      /New in lesson 03\n\ntest\/todos\.test\.ts\n {2}✔ rejects a to-do without a title\n\ntest\/validation\.test\.ts\n {2}✔ rejects bad input\n\n\(the new tests, in \d+\.\d s; now everything, with the type check …\)\n\nFrom earlier lessons/,
      "after a save, the lesson's own tests first, then the rest",
    )
    t.equal(second.match(/New in lesson 03/g)?.length, 1, 'and not twice')
    controller.abort()
    t.equal(await done, 0)
    t.match(stdout(), /Stopped watching\.$/)
  })
}
