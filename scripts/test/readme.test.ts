import t from 'tap'
import { readmeCommand } from '../src/commands/readme.js'
import { fixtureRepo, testContext } from './fixtures.js'

const ESC = '\x1b'

t.test('readme prints the README as written when not in a terminal', async (t) => {
  const { ctx, stdout } = testContext(fixtureRepo(t))
  t.equal(readmeCommand(ctx, '1'), 0)
  t.equal(stdout(), '# Lesson\n\nSome text with `code`.\n\n<!-- marker -->\n```sh\ncurl x\n```')
})

t.test('in a terminal, headings stand out, code steps back and markers are hidden', async (t) => {
  const { ctx, stdout } = testContext(fixtureRepo(t), { color: true })
  readmeCommand(ctx, '1')
  const text = stdout()
  t.match(text, `${ESC}[1m`, 'the heading is bold')
  t.match(text, 'Lesson')
  t.notMatch(text, '# Lesson')
  t.match(text, `${ESC}[2mcurl x${ESC}[22m`, 'code is dimmed')
  t.notMatch(text, 'marker')
})

t.test('a lesson without a README says so', async (t) => {
  const { ctx, stderr } = testContext(fixtureRepo(t))
  t.equal(readmeCommand(ctx, '3'), 1)
  t.equal(stderr(), 'Lesson 03 has no README.md yet.')
})
