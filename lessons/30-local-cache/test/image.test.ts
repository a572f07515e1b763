import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { testDatabase } from '@kitchen/db/testing'
import { freePort } from '@kitchen/servers'
import { runCommand } from '@kitchen/testing'
import t from 'tap'
import { buildForImage } from '../src/build.js'
import { all, environment, execForm, healthcheck, readDockerfile } from './dockerfile.js'
import { testJwtSecret, testRedisUrl } from './helpers.js'

// What the image runs, run here without Docker: its build step (the Dockerfile's `pnpm run
// build`), then its CMD and its HEALTHCHECK, with its ENV and nothing else of this process's
// environment, in this lesson's folder rather than in the image's /app. Running them from a
// `pnpm deploy --prod` folder instead would cost some 5 s more; the build checks that every
// package the compiled files import is a production dependency (src/build.ts).

const lesson = fileURLToPath(new URL('..', import.meta.url))
const image = readDockerfile().stages.at(-1)
const command = execForm(all(image, 'CMD')[0]?.args ?? '') ?? []
const check = healthcheck(image).command ?? []

let built: Promise<string[]> | undefined
/** The build, once for this file's tests. */
const build = () => {
  built ??= buildForImage()
  return built
}

/** One of the image's commands, `node …`, here: with only PATH and `env`, as in a container. */
const run = (command: string[], env: Record<string, string>) =>
  runCommand(lesson, command, { PATH: process.env.PATH ?? '', ...env })

t.test(
  'the build compiles what the image runs, importing only production dependencies',
  async (t) => {
    t.same((await build()).sort(), ['dist/healthcheck.mjs', 'dist/server.mjs'])
    t.equal(command[1], 'dist/server.mjs', 'CMD runs one')
    t.equal(check[1], 'dist/healthcheck.mjs', 'HEALTHCHECK the other')
  },
)

t.test(
  'the image’s command, with its environment, serves: its health check passes, and SIGTERM stops it with exit code 0',
  async (t) => {
    await build()
    const env = {
      ...environment(image), // NODE_ENV=production, HOST=0.0.0.0, PORT=3000
      PORT: String(await freePort()),
      // What compose.yaml adds (src/config.ts refuses the development secret in production):
      DATABASE_URL: await testDatabase(t),
      JWT_SECRET: testJwtSecret,
      ...(testRedisUrl ? { REDIS_URL: testRedisUrl } : {}),
    }
    const server = run(command, env)
    t.teardown(() => server.child.kill('SIGKILL'))
    await server.waitFor(/Server ready at/)
    t.match(server.output(), 'Server ready at', 'it started (and migrated the empty database)')
    t.match(server.output(), /^\{"level":30,/m, 'production: its log is JSON lines')

    const health = run(check, env)
    t.equal(await health.exited, 0, `the health check passes: ${health.output()}`)
    t.match(health.output(), /^200 \{"status":"ready","database":"ok"/)

    server.child.kill('SIGTERM') // what `docker stop` sends
    t.equal(await server.exited, 0, 'a graceful stop')
    t.match(server.output(), '"signal":"SIGTERM"')
  },
)

t.test('the image’s health check fails when the copy is not ready: /ready says 503', async (t) => {
  await build()
  const asked: string[] = []
  // A stand-in for a copy that is shutting down: alive (/health says 200), but not ready.
  const copy = createServer((request, response) => {
    asked.push(request.url ?? '')
    response.statusCode = request.url === '/ready' ? 503 : 200
    response.end('{}')
  })
  copy.listen(0, '127.0.0.1')
  await once(copy, 'listening')
  t.teardown(() => copy.close())
  const health = run(check, { PORT: String((copy.address() as AddressInfo).port) })
  t.equal(await health.exited, 1, health.output())
  t.same(asked, ['/ready'])
})
