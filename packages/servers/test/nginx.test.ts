import { existsSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { findNginx, listenAddress, nginxConfig, startNginx } from '../src/nginx.js'
import { portAnswers } from '../src/ports.js'
import { isAlive } from '../src/process.js'
import { tempFolder } from './helpers.js'

const nginx = findNginx()
const needsNginx = { skip: 'reason' in nginx && nginx.reason }

/** A tiny app on a free port, answering with `handler`; closed after the test. */
async function tinyApp(
  t: { teardown(fn: () => unknown): void },
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<number> {
  const app = createServer(handler)
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    app.closeAllConnections()
    app.close()
  })
  const address = app.address()
  return typeof address === 'object' && address ? address.port : 0
}

const proxyTo = (appPort: number) => (port: number) =>
  `
server {
  listen 127.0.0.1:${port};
  location / {
    proxy_pass http://127.0.0.1:${appPort};
    proxy_set_header X-Forwarded-For $remote_addr;
  }
}`

/** fetch without keeping the connection for the next request. */
const get = (url: string) => fetch(url, { headers: { connection: 'close' } })

t.test('nginx proxies to a node:http server', needsNginx, async (t) => {
  const appPort = await tinyApp(t, (request, response) => {
    response.end(`the app saw ${request.url} from ${request.headers['x-forwarded-for']}`)
  })
  const server = await startNginx({ dir: await tempFolder(t), config: proxyTo(appPort) })
  t.teardown(() => server.stop())
  t.equal(server.url, `http://127.0.0.1:${server.port}`)
  const response = await get(`${server.url}/todos?page=2`)
  t.equal(response.status, 200)
  t.equal(await response.text(), 'the app saw /todos?page=2 from 127.0.0.1')
  t.match(response.headers.get('server'), /^nginx/)
})

t.test('stop() ends nginx and its worker: nothing answers any more', needsNginx, async (t) => {
  const server = await startNginx({
    dir: await tempFolder(t),
    config: (port) => `server { listen 127.0.0.1:${port}; return 200 "hello\\n"; }`,
  })
  t.equal(await (await get(server.url)).text(), 'hello\n')
  await server.stop()
  t.notOk(isAlive(server.pid), 'the master process has gone')
  t.notOk(await portAnswers(server.port), 'and so has the worker that listened')
})

t.test('reload() switches to a new configuration', needsNginx, async (t) => {
  const server = await startNginx({
    dir: await tempFolder(t),
    config: (port) => `server { listen 127.0.0.1:${port}; return 200 "one"; }`,
  })
  t.teardown(() => server.stop())
  t.equal(await (await get(server.url)).text(), 'one')
  await server.reload((port) => `server { listen 127.0.0.1:${port}; return 200 "two"; }`)
  t.equal(await (await get(server.url)).text(), 'two')
})

t.test('a reload nginx rejects keeps the old configuration and says why', needsNginx, async (t) => {
  const server = await startNginx({
    dir: await tempFolder(t),
    config: (port) => `server { listen 127.0.0.1:${port}; return 200 "one"; }`,
  })
  t.teardown(() => server.stop())
  const before = readFileSync(server.configFile, 'utf8')
  await t.rejects(
    server.reload((port) => `server {\n  listen 127.0.0.1:${port};\n  retrun 200 "two";\n}`),
    {
      message: new RegExp(
        `^nginx kept its old configuration: unknown directive "retrun" in ${server.configFile}:\\d+ \\(line 3 of your configuration\\)$`,
      ),
    },
  )
  t.equal(await (await get(server.url)).text(), 'one', 'still answers as before')
  t.equal(readFileSync(server.configFile, 'utf8'), before, 'the file is the old one again')
})

t.test(
  'a configuration nginx rejects stops the start with nginx’s own words',
  needsNginx,
  async (t) => {
    const dir = await tempFolder(t)
    await t.rejects(
      startNginx({
        dir,
        config: (port) => `server {\n  listen 127.0.0.1:${port};\n  lisen 80;\n}`,
      }),
      {
        name: 'ServerStartError',
        message:
          /^nginx did not start: unknown directive "lisen" in \S+nginx\.conf:\d+ \(line 3 of your configuration\)$/,
      },
    )
    t.notOk(existsSync(`${dir}/nginx.pid`), 'no nginx left running')
  },
)

t.test('stop({ graceful: true }) lets a request in progress finish', needsNginx, async (t) => {
  let release = () => {}
  let arrived = () => {}
  const reached = new Promise<void>((resolve) => {
    arrived = resolve
  })
  const appPort = await tinyApp(t, (_request, response) => {
    release = () => response.end('finished')
    arrived()
  })
  const server = await startNginx({ dir: await tempFolder(t), config: proxyTo(appPort) })
  t.teardown(() => server.stop())

  const answer = get(server.url)
  await reached
  const stopping = server.stop({ graceful: true })
  await waitForLog(server.errorLog, /gracefully shutting down/)
  release()
  const response = await answer
  t.equal(await response.text(), 'finished')
  await stopping
  t.notOk(isAlive(server.pid))
})

t.test('stop() without graceful cuts requests in progress', needsNginx, async (t) => {
  let arrived = () => {}
  const reached = new Promise<void>((resolve) => {
    arrived = resolve
  })
  const appPort = await tinyApp(t, () => arrived()) // never answers
  const server = await startNginx({ dir: await tempFolder(t), config: proxyTo(appPort) })
  const answer = get(server.url).then(
    () => 'an answer',
    (error: Error) => error,
  )
  await reached
  await server.stop()
  t.match(await answer, { message: 'fetch failed', cause: { message: 'other side closed' } })
})

t.test('NGINX naming a missing file: the reason says so, and how to get nginx', async (t) => {
  const env = { NGINX: '/nowhere/nginx', PATH: process.env.PATH }
  const found = findNginx({ env })
  const reason = 'reason' in found ? found.reason : ''
  t.match(
    reason,
    /^NGINX is "\/nowhere\/nginx", which is not an executable file: set it to the path of nginx, or leave it out/,
  )
  t.match(reason, '`apt-get install nginx` (Debian, Ubuntu)')
  await t.rejects(startNginx({ dir: await tempFolder(t), config: 'server { listen 1; }', env }), {
    name: 'ServerStartError',
    message: reason,
  })
})

t.test('with no nginx anywhere, the reason says how to install it', async (t) => {
  const found = findNginx({ env: { PATH: '' }, also: [] })
  const reason = 'reason' in found ? found.reason : ''
  t.match(reason, /^No nginx was found \(NGINX is not set, and there is none on the PATH\)\./)
  t.match(reason, '`apt-get install nginx` (Debian, Ubuntu), `brew install nginx` (macOS)')
  t.match(reason, 'WSL')
  t.match(reason, 'set NGINX to the path of nginx')
})

t.test('nginx is found in /usr/sbin when it is not on the PATH', async (t) => {
  if (!existsSync('/usr/sbin/nginx')) return t.plan(0, 'no /usr/sbin/nginx on this computer')
  t.same(findNginx({ env: { PATH: '/nowhere' } }), { path: '/usr/sbin/nginx' })
})

t.test('your configuration is wrapped: foreground, one worker, every file under dir', async (t) => {
  const text = nginxConfig('server { listen 8080; }', '/tmp/my nginx', false)
  t.match(text, /^daemon off;$/m)
  t.match(text, /^worker_processes 1;$/m)
  t.match(text, /^pid "\/tmp\/my nginx\/nginx\.pid";$/m)
  t.match(text, /^error_log "\/tmp\/my nginx\/error\.log" notice;$/m)
  t.match(text, /^events \{/m)
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    t.match(text, `${temp}_temp_path "/tmp/my nginx/temp/${temp}";`)
  }
  t.match(text, /^ {2}server \{ listen 8080; \}\n\}\n$/m)
  t.notMatch(text, /^user /m, 'a normal user’s worker runs as that user')
  t.match(nginxConfig('server { listen 8080; }', '/tmp/x', true), /^user root;$/m)
  t.throws(() => nginxConfig('http { server { listen 8080; } }', '/tmp/x'), {
    message: /only what goes inside `http \{ \}`/,
  })
})

t.test('the URL comes from the first listen directive', async (t) => {
  t.same(listenAddress('server { listen 8080; }'), { host: '127.0.0.1', port: 8080 })
  t.same(listenAddress('server {\n  listen 127.0.0.2:81 default_server;\n  listen 82;\n}'), {
    host: '127.0.0.2',
    port: 81,
  })
  t.same(listenAddress('server { listen [::1]:8443; }'), { host: '::1', port: 8443 })
  t.same(listenAddress('server { listen *:80; }'), { host: '127.0.0.1', port: 80 })
  t.throws(() => listenAddress('server { root /srv; }'), { message: /no `listen` directive/ })
  t.throws(() => listenAddress('server { listen unix:/tmp/n.sock; }'), {
    message: /needs a TCP port/,
  })
})

async function waitForLog(file: string, pattern: RegExp): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (pattern.test(readFileSync(file, 'utf8'))) return
    await sleep(20)
  }
  throw new Error(`${pattern} never appeared in ${file}`)
}
