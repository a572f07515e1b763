import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findNginx, freePort, nginxConfig } from '@kitchen/servers'
import t from 'tap'
import { parse } from 'yaml'
import { ConfigSchema } from '../src/config.js'
import { ACCESS_LOG, composeNginxConfig } from '../src/nginx-compose.js'
import { all, environment, execForm, healthcheck, readDockerfile } from './dockerfile.js'

// No Docker engine runs these tests: they read the Dockerfile and compose.yaml and check what
// can be checked without one. test/image.test.ts runs what the image runs.

const lesson = fileURLToPath(new URL('..', import.meta.url))
const { stages } = readDockerfile()
const runtime = stages.at(-1)
const compose = parse(readFileSync(join(lesson, 'compose.yaml'), 'utf8'), { merge: true })
const services: Record<string, Service> = compose.services
interface Service {
  build?: { context: string; dockerfile: string }
  image?: string
  environment?: Record<string, string>
  ports?: string[]
  volumes?: string[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
  networks?: Record<string, { ipv4_address?: string }>
}
const apps = ['app-a', 'app-b'].map((name) => services[name] ?? {})

t.test(
  'the Dockerfile builds in two stages, and the image runs on a slim Node image',
  async (t) => {
    t.ok(stages.length >= 2, `${stages.length} stages`)
    t.match(runtime?.image, /^node:\d+(\.\d+)*-(\w+-)?(slim|alpine)$/, 'node:<version>-slim')
    t.same(
      all(runtime, 'COPY').map(({ args }) => args.split(' ')[0]),
      all(runtime, 'COPY').map(() => '--from=build'),
      'the image takes only what the build stage made',
    )
  },
)

t.test('the image runs as a user who is not root, from before its command', async (t) => {
  const keywords = runtime?.instructions.map((instruction) => instruction.keyword) ?? []
  const user = all(runtime, 'USER').at(-1)?.args
  t.ok(user, 'USER is set')
  t.notMatch(user, /^(root|0)(:|$)/)
  t.ok(keywords.lastIndexOf('USER') < keywords.indexOf('CMD'), 'USER comes before CMD')
})

t.test('the image’s command is node itself, in exec form: SIGTERM reaches it', async (t) => {
  const cmd = all(runtime, 'CMD')
  t.equal(cmd.length, 1)
  t.equal(execForm(cmd[0]?.args ?? '')?.[0], 'node', cmd[0]?.args ?? 'no CMD')
  t.same(all(runtime, 'ENTRYPOINT'), [], 'no ENTRYPOINT wraps it')
})

t.test(
  'the image’s health check runs node on src/healthcheck.ts, which asks GET /ready',
  async (t) => {
    const check = healthcheck(runtime)
    t.same(check.command, ['node', 'dist/healthcheck.mjs'], 'exec form, with node: no curl in slim')
    t.ok(check.options.some((option) => option.startsWith('--timeout=')))
    t.match(readFileSync(join(lesson, 'src/healthcheck.ts'), 'utf8'), /\/ready\b/)
  },
)

t.test('the image installs production dependencies only', async (t) => {
  t.same(all(runtime, 'RUN'), [], 'nothing is installed in the image itself')
  const copied = all(runtime, 'COPY').find(({ args }) => args.endsWith(' ./node_modules'))
  const from = copied?.args.split(' ')[1]
  t.equal(from, '/deploy/node_modules', 'node_modules comes from pnpm deploy')
  const deploy = stages
    .flatMap((stage) => all(stage, 'RUN'))
    .find(({ args }) => / deploy /.test(args))
  t.match(deploy?.args, /--prod deploy (--legacy )?\/deploy$/, 'a --prod deploy made it')
})

t.test('no secret goes into the image: no .env is copied, or sent to the build', async (t) => {
  const sources = stages.flatMap((stage) => all(stage, 'COPY').map(({ args }) => args.split(' ')))
  for (const source of sources.flatMap((words) => words.slice(0, -1))) {
    t.notMatch(source, /\.env|secret|\.pem$|\.key$/i, `COPY ${source}`)
  }
  const names = stages.flatMap((stage) => Object.keys(environment(stage)))
  t.notOk(
    names.find((name) => /SECRET|PASSWORD|TOKEN|KEY/.test(name)),
    'no secret in ENV',
  )
  const ignore = readFileSync(join(lesson, 'Dockerfile.dockerignore'), 'utf8').split('\n')
  const envLine = ignore.indexOf('**/.env')
  t.ok(envLine >= 0, 'Dockerfile.dockerignore leaves out every .env')
  t.notOk(
    ignore.slice(envLine).some((line) => line.startsWith('!')),
    'and nothing brings one back',
  )
  t.ok(ignore.includes('**/node_modules'), 'and node_modules: the build installs its own')
})

t.test(
  'compose.yaml runs NGINX, two copies of the app built from the Dockerfile, Postgres and Redis',
  async (t) => {
    t.same(Object.keys(services).sort(), ['app-a', 'app-b', 'nginx', 'postgres', 'redis'])
    for (const instance of ['a', 'b']) {
      const app = services[`app-${instance}`]
      const { context = '', dockerfile = '' } = app?.build ?? {}
      const workspace = resolve(lesson, context)
      t.ok(existsSync(join(workspace, 'pnpm-workspace.yaml')), 'the context is the workspace')
      t.match(dockerfile, /(^|\/)Dockerfile$/)
      t.ok(existsSync(join(workspace, dockerfile)), `${dockerfile} is there`)
      t.equal(app?.environment?.INSTANCE, instance)
    }
    t.match(services.postgres?.image, /^postgres:\d+/)
    t.match(services.redis?.image, /^redis:\d+/)
    t.match(services.nginx?.image, /^nginx:/)
  },
)

t.test('only NGINX publishes a port, and only on this computer', async (t) => {
  const publishing = Object.entries(services).filter(([, service]) => service.ports)
  t.same(
    publishing.map(([name]) => name),
    ['nginx'],
  )
  t.same(services.nginx?.ports, ['127.0.0.1:3000:80'])
})

t.test(
  'each service waits for the ones it needs to be healthy, and each of those says when it is',
  async (t) => {
    for (const [name, service] of Object.entries(services)) {
      for (const [needed, { condition }] of Object.entries(service.depends_on ?? {})) {
        t.equal(condition, 'service_healthy', `${name} waits for ${needed}`)
        const their = services[needed]
        const check = their?.healthcheck?.test ?? (their?.build && healthcheck(runtime).command)
        t.ok(check, `${needed} has a health check`)
      }
    }
    t.same(Object.keys(services.nginx?.depends_on ?? {}), ['app-a', 'app-b'])
    t.same(Object.keys(apps[0]?.depends_on ?? {}), ['postgres', 'redis'])
    t.match(services.postgres?.healthcheck?.test, ['CMD', 'pg_isready'])
  },
)

t.test('JWT_SECRET comes from your environment: compose.yaml never holds it', async (t) => {
  for (const app of apps) t.match(app.environment?.JWT_SECRET, /^\$\{JWT_SECRET:\?[^}]+\}$/)
})

t.test('the copies believe X-Forwarded-For only from NGINX’s address', async (t) => {
  const nginx = services.nginx?.networks?.default?.ipv4_address
  t.ok(nginx, 'NGINX has an address of its own')
  for (const app of apps) t.equal(app.environment?.TRUST_PROXY, nginx)
  const [subnet] = compose.networks.default.ipam.config
  t.equal(`${nginx?.split('.').slice(0, 3).join('.')}.0/24`, subnet.subnet, 'in the network')
})

t.test(
  'every setting the Dockerfile and compose.yaml give the app is one src/config.ts knows',
  async (t) => {
    const names = [
      ...Object.keys(environment(runtime)),
      ...apps.flatMap((app) => Object.keys(app.environment ?? {})),
    ]
    const known = Object.keys(ConfigSchema.properties)
    t.same(
      names.filter((name) => !known.includes(name)),
      [],
      'no typo: a misspelt name is silently ignored by the app',
    )
  },
)

t.test('nginx.compose.conf is the lesson’s nginx.conf, filled in for compose', async (t) => {
  const committed = readFileSync(join(lesson, 'nginx.compose.conf'), 'utf8')
  t.equal(committed, composeNginxConfig(), 'out of date: run `pnpm compose:nginx`')
  t.match(committed, `access_log ${ACCESS_LOG} kitchen;`, 'its log goes to Docker’s')
  const mounted = services.nginx?.volumes?.[0]
  t.equal(mounted, './nginx.compose.conf:/etc/nginx/conf.d/default.conf:ro')
})

const nginx = findNginx()
t.test(
  'nginx accepts nginx.compose.conf (nginx -t, the copies’ names standing for 127.0.0.1)',
  { skip: 'reason' in nginx && nginx.reason },
  async (t) => {
    if ('reason' in nginx) return
    const dir = await mkdtemp(join(tmpdir(), 'kitchen-nginx-'))
    t.teardown(() => rm(dir, { recursive: true, force: true }))
    // What only the container has: hosts named app-a and app-b (nginx looks them up as it
    // reads), the image's log file, port 80 (nginx -t opens it: here only root may). Here:
    // 127.0.0.1, a file in the test's folder, a free port.
    const http = composeNginxConfig()
      .replace(/\bapp-[ab]:/g, '127.0.0.1:')
      .replace(ACCESS_LOG, join(dir, 'access.log'))
      .replace('listen 0.0.0.0:80;', `listen 127.0.0.1:${await freePort()};`)
    const file = join(dir, 'nginx.conf')
    await mkdir(join(dir, 'temp')) // where the wrapper (@kitchen/servers) puts nginx's own files
    await writeFile(file, nginxConfig(http, dir))
    const result = spawnSync(nginx.path, ['-t', '-c', file, '-p', `${dir}/`], { encoding: 'utf8' })
    t.equal(result.status, 0, result.stderr)
    t.match(result.stderr, /test is successful/)
  },
)
