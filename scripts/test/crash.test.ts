import t from 'tap'
import { explainCrash, isCrashStart } from '../src/crash.js'

const lesson = '/home/ann/kitchen/lessons/01-hello-server'

// What Node prints when tsx cannot compile a file (a missing bracket), cut short.
const syntaxSlip = `
node:internal/modules/run_main:123
    triggerUncaughtException(
    ^
Error [TransformError]: Transform failed with 1 error:
${lesson}/src/app.ts:16:2: ERROR: Expected ")" but found "return"
    at failureErrorWithLog (/home/ann/kitchen/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js:1752:15)
    at Socket.readFromStdout (/home/ann/kitchen/node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/lib/main.js:864:7)

Node.js v20.20.2
`

// What Node prints when find-my-way refuses `app.get('health', …)`, cut short.
const refusedCall = `node:internal/modules/run_main:123
    triggerUncaughtException(
    ^

AssertionError [ERR_ASSERTION]: The first character of a path should be \`/\` or \`*\`
    at Router.on (/home/ann/kitchen/node_modules/.pnpm/find-my-way@9.10.2/node_modules/find-my-way/index.js:133:3)
    at Object._get [as get] (/home/ann/kitchen/node_modules/.pnpm/fastify@5.12.8/node_modules/fastify/fastify.js:202:34)
    at buildApp (${lesson}/src/app.ts:12:7)
    at <anonymous> (${lesson}/src/server.ts:4:13)
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25) {
  generatedMessage: false,
  code: 'ERR_ASSERTION'
}

Node.js v20.20.2
`

t.test('a typing slip is told as the file, line and column esbuild names', async (t) => {
  t.match(explainCrash(syntaxSlip, lesson), {
    where: 'src/app.ts:16:2',
    message: 'Expected ")" but found "return"',
    advice: /look at that line and the one before it/,
  })
})

t.test('a call a library refuses is told at the first line of the lesson’s own code', async (t) => {
  t.match(explainCrash(refusedCall, lesson), {
    where: 'src/app.ts:12:7',
    message: 'AssertionError: The first character of a path should be `/` or `*`',
  })
})

t.test('output with no error in it has nothing to explain', async (t) => {
  t.equal(
    explainCrash('Invalid configuration, fix these environment variables:', lesson),
    undefined,
  )
})

t.test('a crash starts with an error line or the lines Node wraps around it', async (t) => {
  for (const line of [
    'node:internal/modules/run_main:123',
    '    triggerUncaughtException(',
    '    ^',
    'Node.js v20.20.2',
  ]) {
    t.equal(isCrashStart(line), true, line)
  }
  t.equal(isCrashStart('TypeError: app.get is not a function'), true)
  t.equal(isCrashStart('Server ready at http://127.0.0.1:3000'), false)
})
