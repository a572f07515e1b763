import { setTimeout as sleep } from 'node:timers/promises'
import { cleanDatabase } from '@kitchen/db/testing'
import { testNginx, testRedis } from '@kitchen/servers/testing'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { createDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { nginxConfig } from '../src/nginx.js'
import { shutdown } from '../src/readiness.js'
import { password, testAppOptions } from './helpers.js'

// The lesson's nginx.conf in a real nginx, in front of two copies of the app (in this process,
// on free ports, as in nginx.test.ts), restarted one at a time as src/stack.ts does on SIGHUP
// while clients keep sending requests. Without nginx or redis-server, the test is skipped,
// saying how to install them.

type App = ReturnType<typeof buildApp>

/** How many clients send requests at the same time: a bounded load. */
const CLIENTS = 4

interface Tally {
  requests: number
  /** Every request that did not get a 2xx: what, and what came back. */
  failed: string[]
  /** The ids of the to-dos whose POST got a 201: the writes the app acknowledged. */
  written: number[]
}

/** What the answers hold that the clients use. */
interface Answer {
  code?: string
  accessToken?: string
  id: number
  version: number
}

/** One client: signs up, logs in, then adds, lists and ticks off to-dos until told to stop. */
async function client(url: string, email: string, running: () => boolean, tally: Tally) {
  let authorization = ''
  async function send(method: string, path: string, body?: object) {
    tally.requests++
    const headers = { 'content-type': 'application/json', authorization }
    try {
      const res = await fetch(`${url}${path}`, { method, headers, body: JSON.stringify(body) })
      const answer = (await res.json()) as Answer
      const from = res.headers.get('x-instance') ?? 'NGINX'
      if (!res.ok) tally.failed.push(`${method} ${path}: ${res.status} ${answer.code} from ${from}`)
      return res.ok ? answer : undefined
    } catch (error) {
      tally.failed.push(`${method} ${path}: ${(error as Error).cause ?? error}`)
    }
  }
  await send('POST', '/auth/signup', { email, password })
  authorization = `Bearer ${(await send('POST', '/auth/login', { email, password }))?.accessToken}`
  for (let i = 1; running(); i++) {
    const todo = await send('POST', '/todos', { title: `To-do ${i}` })
    if (todo) tally.written.push(todo.id)
    await send('GET', '/todos?limit=5')
    if (todo) await send('PATCH', `/todos/${todo.id}`, { done: true, version: todo.version })
  }
}

t.test(
  'restarting each copy in turn under load: no request fails, no acknowledged write is lost',
  async (t) => {
    const redis = await testRedis(t)
    if ('skip' in redis) return
    const redisUrl = redis.url
    const databaseUrl = await cleanDatabase({ migrate: migrateToLatest })
    const copies = new Map<string, App>()
    t.teardown(() => Promise.all([...copies.values()].map((copy) => copy.close())))
    /** Start copy `name` of the app on `port` (0: a free one), as src/server.ts does. */
    async function start(name: string, port = 0) {
      const app = buildApp({
        ...{ ...testAppOptions, databaseUrl, redisUrl, redisPrefix: 'restart:' },
        ...{ instance: name, trustProxy: '127.0.0.1' },
      })
      copies.set(name, app)
      await app.listen({ port, host: '127.0.0.1' })
      return (app.server.address() as { port: number }).port
    }
    const ports = { a: await start('a'), b: await start('b') }
    const nginx = await testNginx(t, (port) => nginxConfig({ host: '127.0.0.1', port, ...ports }))
    if ('skip' in nginx) return

    /** What src/stack.ts does for each copy: stop it (SIGTERM), start it, wait for /ready. */
    async function restart(name: 'a' | 'b') {
      await shutdown(copies.get(name) as App, 0.2) // DRAIN_SECONDS: nobody polls /ready here
      await start(name, ports[name])
      const ready = () => fetch(`http://127.0.0.1:${ports[name]}/ready`).catch(() => undefined)
      while (!(await ready())?.ok) await sleep(50)
    }

    const tally: Tally = { requests: 0, failed: [], written: [] }
    let running = true
    const clients = Array.from({ length: CLIENTS }, (_, i) =>
      client(nginx.url, `cook${i}@x.org`, () => running, tally),
    )
    const started = Date.now()
    await sleep(300)
    await restart('a')
    await restart('b')
    await sleep(300)
    running = false
    await Promise.all(clients)
    const seconds = ((Date.now() - started) / 1000).toFixed(1)

    const { requests, failed, written } = tally
    const load = `${requests} requests through NGINX in ${seconds} s, during 2 restarts`
    t.same(failed, [], `${load}: ${failed.length} failed`)
    t.ok(written.length > CLIENTS, 'the clients wrote')
    // Acknowledged (201) means stored: every one of them must be in the database.
    const db = createDatabase(databaseUrl, () => {})
    t.teardown(() => db.destroy())
    const ids = [0, ...written]
    const found = await db.selectFrom('todos').select('id').where('id', 'in', ids).execute()
    const stored = `${written.length} acknowledged writes, ${found.length} in the database`
    t.equal(found.length, written.length, stored)
  },
)
