import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { fixtureRepo } from './fixtures.js'

const scripts = fileURLToPath(new URL('..', import.meta.url))

/**
 * Run `src/lesson.ts …` against a fixture repository the way `pnpm lesson` does: Node with
 * tsx's loader (src/bin/lesson.mjs), not the `tsx` program. That program relays signals to
 * its child through a handshake that can miss on a very busy machine, and then a test that
 * sends Ctrl-C waits for ever.
 */
function cli(
  root: string,
  args: string[],
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
) {
  const child = spawn(process.execPath, ['--import=tsx', 'src/lesson.ts', ...args], {
    cwd: scripts,
    env: { ...process.env, KITCHEN_ROOT: root, NO_COLOR: '1', PORT: '4567', HOST: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
    onStdout?.(stdout, child)
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
}

t.test('no command prints the usage and exits 0', async (t) => {
  const { code, stdout } = await cli(fixtureRepo(t), [])
  t.equal(code, 0)
  t.match(stdout, /^Usage: pnpm lesson <command>/)
})

t.test('an unknown lesson exits 1 and lists the lessons', async (t) => {
  const { code, stderr } = await cli(fixtureRepo(t), ['test', '9'])
  t.equal(code, 1)
  t.match(stderr, 'There is no lesson "9". The lessons are:\n  01-hello')
})

t.test('an unknown command or option exits 1 with the usage', async (t) => {
  const root = fixtureRepo(t)
  const command = await cli(root, ['bake'])
  t.equal(command.code, 1)
  t.match(command.stderr, /Unknown command "bake"\.\n\nUsage:/)
  const option = await cli(root, ['list', '--fast'])
  t.equal(option.code, 1)
  t.match(option.stderr, /--fast/)
})

t.test("test passes the lesson's exit code through", async (t) => {
  const root = fixtureRepo(t)
  t.equal((await cli(root, ['test', '3'])).code, 1)
  t.equal((await cli(root, ['test', '2'])).code, 0)
})

t.test('start passes a signal to the server and exits with it', async (t) => {
  const root = t.testdir({
    lessons: {
      '01-hello': {
        'package.json': JSON.stringify({
          name: 'x',
          description: 'Hello',
          scripts: { start: 'node server.js' },
        }),
        'server.js': `
          process.on('SIGTERM', () => { console.log('closing'); process.exit(7) })
          console.log('ready on ' + process.env.PORT)
          setInterval(() => {}, 1000)
        `,
      },
    },
  })
  let pid: number | undefined
  const result = await cli(root, ['start', '1'], (text, child) => {
    if (text.includes('ready') && pid === undefined) {
      pid = child.pid
      child.kill('SIGTERM')
    }
  })
  t.match(result.stdout, 'Lesson 01: Hello')
  t.match(result.stdout, 'curl http://127.0.0.1:4567/health', 'the curl uses PORT')
  t.match(result.stdout, 'ready on 4567', 'and so does the server')
  t.match(result.stdout, 'closing', 'the server got the signal')
  t.equal(result.code, 7, "and the CLI exits with the server's code")
})

/** A lesson whose server says where it runs, and stops on SIGINT the way close-with-grace does. */
function serverRepo(t: Pick<Test, 'testdir'>, handlesInterrupt: boolean) {
  const server = (who: string) => `
    ${handlesInterrupt ? "process.on('SIGINT', () => { console.log('closing'); process.exit(0) })" : ''}
    console.log('${who} ready on ' + process.env.PORT)
    setInterval(() => {}, 1000)
  `
  const pkg = JSON.stringify({
    name: 'x',
    description: 'Hello',
    scripts: { start: 'node server.js' },
  })
  return t.testdir({
    lessons: { '01-hello': { 'package.json': pkg, 'server.js': server('reference') } },
    playground: { '01-hello': { 'package.json': pkg, 'server.js': server('mine') } },
  })
}

for (const handlesInterrupt of [true, false]) {
  t.test(
    `Ctrl-C stops the server quietly: "stopped", exit code 0 (${handlesInterrupt ? 'a graceful server' : 'a server ended by the signal'})`,
    async (t) => {
      const root = serverRepo(t, handlesInterrupt)
      let sent = false
      const result = await cli(root, ['start', '1'], (text, child) => {
        if (text.includes('ready') && !sent) {
          sent = true
          child.kill('SIGINT')
        }
      })
      t.match(result.stdout, 'reference ready on 4567')
      t.match(result.stdout, 'The server stopped.')
      t.equal(result.code, 0)
      t.equal(result.stderr, '', 'nothing that looks like a crash')
    },
  )
}

t.test('start --mine runs the practice copy', async (t) => {
  const root = serverRepo(t, true)
  let sent = false
  const result = await cli(root, ['start', '1', '--mine'], (text, child) => {
    if (text.includes('ready') && !sent) {
      sent = true
      child.kill('SIGINT')
    }
  })
  t.match(result.stdout, 'Your copy of lesson 01 (playground/01-hello): Hello')
  t.match(result.stdout, 'mine ready on 4567')
  t.match(result.stdout, 'Your server stopped.')
  t.equal(result.code, 0)
})

t.test('start --mine without a copy says how to make one', async (t) => {
  const root = fixtureRepo(t)
  const result = await cli(root, ['start', '2', '--mine'])
  t.equal(result.code, 1)
  t.match(result.stderr, 'make one with `pnpm lesson practice 02`')
})

t.test(
  'a crash while starting is told in one line with advice; --verbose shows the stack',
  async (t) => {
    const root = t.testdir({
      lessons: {
        '01-hello': {
          'package.json': JSON.stringify({
            name: 'x',
            description: 'Hello',
            scripts: { start: 'node server.js' },
          }),
          'server.js': `
          console.error('a warning before the crash passes through')
          function buildApp() { throw new TypeError('app.get is not a function') }
          buildApp()
        `,
        },
      },
    })
    const result = await cli(root, ['start', '1'])
    t.equal(result.code, 1)
    t.match(result.stderr, 'a warning before the crash passes through')
    t.match(result.stderr, /✘ server\.js:3:\d+ {2}TypeError: app\.get is not a function/)
    t.match(result.stderr, 'pnpm lesson start 01 --verbose')
    t.notMatch(result.stderr, /^\s+at /m, 'no stack trace')
    const verbose = await cli(root, ['start', '1', '--verbose'])
    t.match(verbose.stderr, /^\s+at buildApp/m, 'the stack trace, with --verbose')
  },
)

t.test('the server is told the command that started it, and --sql sets LOG_SQL', async (t) => {
  const root = t.testdir({
    lessons: {
      '06-config': {
        'package.json': JSON.stringify({
          name: 'x',
          description: 'Config',
          scripts: { start: 'node server.js' },
        }),
        'server.js':
          'console.log("started by: " + process.env.KITCHEN_START_COMMAND + ", LOG_SQL=" + process.env.LOG_SQL)',
      },
    },
  })
  const result = await cli(root, ['start', '6'])
  t.match(result.stdout, 'started by: pnpm lesson start 06, LOG_SQL=undefined')
  const sql = await cli(root, ['start', '6', '--sql'])
  t.match(sql.stdout, 'LOG_SQL=true', '--sql sets LOG_SQL')
  t.match(sql.stderr, 'lesson 06 does not have it', 'and says from which lesson it works')
})
