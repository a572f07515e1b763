import { join } from 'node:path'
import t, { type Test } from 'tap'
import { postmanCommand } from '../src/commands/postman.js'
import { testContext } from './fixtures.js'

const pkg = (id: string) => JSON.stringify({ name: `@kitchen/lesson-${id}`, description: id })

/** Two lessons: 04 without Postman files, 05 with a collection and an environment. */
function repo(t: Test): string {
  return t.testdir({
    lessons: {
      '04-errors': { 'package.json': pkg('04-errors') },
      '05-postman': {
        'package.json': pkg('05-postman'),
        postman: {
          'kitchen.postman_collection.json': JSON.stringify({ info: { name: 'Kitchen API' } }),
          'kitchen.postman_environment.json': JSON.stringify({ name: 'Kitchen (local)' }),
        },
      },
    },
  })
}

t.test('postman prints where the files are, and how to import and run them', async (t) => {
  const root = repo(t)
  const { ctx, stdout } = testContext(root, { cwd: root })
  t.equal(postmanCommand(ctx, '5'), 0)
  const text = stdout()
  t.match(text, "Lesson 05's Postman files, in lessons/05-postman/postman:")
  t.match(
    text,
    'collection   lessons/05-postman/postman/kitchen.postman_collection.json  ("Kitchen API")',
  )
  t.match(
    text,
    'environment  lessons/05-postman/postman/kitchen.postman_environment.json  ("Kitchen (local)")',
  )
  t.match(text, 'File > Import')
  t.match(text, 'Choose the environment "Kitchen (local)"')
  t.match(text, 'pnpm lesson start 05')
  t.match(text, 'Run collection')
  t.match(text, 'cd lessons/05-postman\n')
  t.match(
    text,
    'npx newman run postman/kitchen.postman_collection.json -e postman/kitchen.postman_environment.json',
  )
})

t.test('the paths start from the folder the command is typed in', async (t) => {
  const root = repo(t)
  const { ctx, stdout } = testContext(root, { cwd: join(root, 'lessons', '05-postman') })
  t.equal(postmanCommand(ctx, '05-postman'), 0)
  t.match(stdout(), 'collection   postman/kitchen.postman_collection.json')
  t.notMatch(stdout(), /\bcd /, 'already in the lesson: no cd')
})

t.test('a lesson without a collection says so, and names the lessons that have one', async (t) => {
  const { ctx, stderr } = testContext(repo(t))
  t.equal(postmanCommand(ctx, '4'), 1)
  t.equal(stderr(), 'Lesson 04 has no Postman collection. Lessons with one: 05-postman.')
})
