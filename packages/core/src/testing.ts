import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { serverUrl } from './start.js'

/** The bit of a tap test these helpers need: somewhere to register clean-up. */
export interface Teardown {
  teardown(fn: () => unknown): void
}

/**
 * Get an app ready for `app.inject()` and close it when the test ends.
 *   const app = await testApp(t, buildApp())
 */
export async function testApp<App extends FastifyInstance>(
  t: Teardown,
  app: App | Promise<App>,
): Promise<App> {
  const ready = await app
  t.teardown(() => ready.close())
  await ready.ready()
  return ready
}

/**
 * Start the app on a free port (port 0) for tests that need real HTTP, such as fetch or curl.
 * Returns the base URL; the server is closed when the test ends.
 */
export async function listenForTest(t: Teardown, app: FastifyInstance): Promise<string> {
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  return serverUrl(app)
}

/** A log stream to hand to `createApp({ logStream })`, and the lines written to it. */
export function captureLogs(): {
  stream: Writable
  lines: () => Record<string, unknown>[]
  text: () => string
} {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const text = () => chunks.join('')
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { stream, lines, text }
}
