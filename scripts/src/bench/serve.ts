/**
 * The child process of `pnpm bench`: starts one server and tells the parent its port over IPC.
 * Each server runs alone in its own process, so the load generator (autocannon, in the parent)
 * never competes with it for the same event loop.
 */
import { answerQueryCounts } from './query-count.js'
import { type ServerOptions, servers } from './servers.js'
import type { ServerKind } from './targets.js'

const kind = process.argv[2] as ServerKind
const options = JSON.parse(process.argv[3] ?? '{}') as ServerOptions
const start = servers[kind]
if (!start || !process.send) {
  console.error(`serve.ts: unknown server kind "${kind}", or not started by bench.ts`)
  process.exit(2)
}

const running = await start(options)
process.send({ port: running.port })
// The parent may ask how many SQL queries some requests send (query-count.ts).
answerQueryCounts(options.lessonDir, (message) => process.send?.(message))

// The parent disconnecting (it finished, or died) means we are done too: no orphans.
process.on('disconnect', async () => {
  await running.close()
  process.exit(0)
})
