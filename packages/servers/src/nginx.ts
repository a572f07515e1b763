import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort, portAnswers, portIsFree } from './ports.js'
import { launch, send, stopProcess, waitUntil } from './process.js'
import {
  type FindOptions,
  type FoundProgram,
  findProgram,
  type MissingProgram,
  ServerStartError,
} from './programs.js'

export const HOW_TO_INSTALL_NGINX =
  'Install NGINX: `apt-get install nginx` (Debian, Ubuntu), `brew install nginx` (macOS), ' +
  'on Windows inside WSL (as on Ubuntu). The lessons run nginx with a configuration of ' +
  'their own: the nginx service that the package may set up is not needed.'

/**
 * Find the nginx program: the one NGINX names, else `nginx` on the PATH, else the usual places
 * (/usr/sbin/nginx, where Debian and Ubuntu put it, is often not on a normal user's PATH).
 * Looks at files only: nothing is run.
 */
export function findNginx(options: FindOptions = {}): FoundProgram | MissingProgram {
  return findProgram({
    name: 'nginx',
    variable: 'NGINX',
    also: [
      '/usr/sbin/nginx',
      '/usr/local/sbin/nginx',
      '/usr/local/nginx/sbin/nginx',
      '/opt/homebrew/bin/nginx',
      '/usr/local/bin/nginx',
    ],
    howToInstall: HOW_TO_INSTALL_NGINX,
    options,
  })
}

/**
 * What goes inside `http { }`: your `server { listen 127.0.0.1:8080; … }` blocks, upstreams and
 * so on. Or a function that writes it for a free port: `(port) => \`server { listen ${port}; … }\``.
 */
export type NginxConfig = string | ((port: number) => string)

export interface StartNginxOptions {
  config: NginxConfig
  /** Its folder: the full configuration, pid file, logs and temporary files go here. */
  dir: string
  /** Where to read NGINX and PATH. Default: `process.env`. */
  env?: FindOptions['env']
}

/** An nginx this process started. */
export interface NginxServer {
  /** http://<address>:<port> of the first `listen` in the configuration. */
  url: string
  port: number
  /** The master process; it starts one worker process, which does the work. */
  pid: number
  /** The whole configuration nginx runs with: yours, wrapped. Open it to read an error's line. */
  configFile: string
  errorLog: string
  accessLog: string
  /**
   * Load a new configuration (or the same again) without dropping a connection (SIGHUP): new
   * connections get it once this resolves, while requests in progress finish with the old one.
   * A configuration nginx rejects throws, and the old one stays.
   */
  reload(config?: NginxConfig): Promise<void>
  /**
   * Stop it. `graceful: true` (SIGQUIT) lets requests in progress finish first (for up to
   * `timeoutMs`, 10 s by default); otherwise (SIGTERM) it stops at once.
   */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>
}

/**
 * Start nginx in the foreground with a configuration of your own, every file under `dir`:
 *   const nginx = await startNginx({ dir, config: (port) => `server { listen ${port}; … }` })
 * Resolves once the first `listen` port answers. It is stopped when this process exits.
 */
export async function startNginx(options: StartNginxOptions): Promise<NginxServer> {
  const found = findNginx({ env: options.env })
  if ('reason' in found) throw new ServerStartError(found.reason)
  const dir = resolve(options.dir)
  const files = {
    configFile: join(dir, 'nginx.conf'),
    errorLog: join(dir, 'error.log'),
    accessLog: join(dir, 'access.log'),
    output: join(dir, 'output.log'),
  }
  await mkdir(join(dir, 'temp'), { recursive: true })
  const port = typeof options.config === 'function' ? await freePort() : undefined
  const http = typeof options.config === 'function' ? options.config(port ?? 0) : options.config
  let listen = listenAddress(http)
  if (listen.host === '127.0.0.1' && !(await portIsFree(listen.port))) {
    throw new ServerStartError(
      `Port ${listen.port} is in use by another program: choose another port in your listen directive, or stop that program.`,
    )
  }
  await writeFile(files.configFile, nginxConfig(http, dir))
  await writeFile(files.errorLog, '')

  const args = ['-c', files.configFile, '-p', `${dir}/`]
  // -e: where nginx writes errors before it has read the configuration (nginx 1.19.5 and
  // newer); otherwise it tries /var/log/nginx/error.log, which a normal user cannot write.
  if (supportsErrorLogOption(found.path)) args.unshift('-e', files.errorLog)
  const server = await launch({ program: found.path, args, cwd: dir, logFile: files.output })
  await waitUntil(
    server,
    () => portAnswers(listen.port, listen.host, 500),
    () => explainNginxFailure(files),
  )

  const handle: NginxServer = {
    url: urlOf(listen),
    port: listen.port,
    pid: server.pid,
    configFile: files.configFile,
    errorLog: files.errorLog,
    accessLog: files.accessLog,
    async reload(config) {
      const previous = readFileSync(files.configFile, 'utf8')
      let next = listen
      if (config !== undefined) {
        const text = typeof config === 'function' ? config(listen.port) : config
        next = listenAddress(text)
        await writeFile(files.configFile, nginxConfig(text, dir))
      }
      const from = sizeOf(files.errorLog)
      send(server.pid, 'SIGHUP')
      const problem = await waitForReload(files.errorLog, from, files.configFile)
      if (problem) {
        await writeFile(files.configFile, previous)
        throw new ServerStartError(`nginx kept its old configuration: ${problem}`)
      }
      listen = next
      handle.url = urlOf(listen)
      handle.port = listen.port
    },
    stop({ graceful = false, timeoutMs = 10_000 } = {}) {
      const signal = graceful ? 'SIGQUIT' : 'SIGTERM'
      return stopProcess(server.pid, signal, () => server.exited(), timeoutMs)
    },
  }
  return handle
}

/**
 * The whole configuration: yours inside `http { }`, wrapped in what running nginx as a normal
 * program needs (in the foreground, one worker, every file under `dir`). nginx otherwise
 * writes to /run and /var/lib/nginx, which only root may.
 */
export function nginxConfig(http: string, dir: string, root = process.getuid?.() === 0): string {
  if (/^\s*(http|events)\s*\{/m.test(http)) {
    throw new ServerStartError(
      'Give startNginx only what goes inside `http { }` (your server blocks): the http and events blocks are added for you.',
    )
  }
  const path = (name: string) => quote(join(dir, name))
  return `# Written by @kitchen/servers: your configuration is inside http { } at the end.
daemon off;
worker_processes 1;
pid ${path('nginx.pid')};
error_log ${path('error.log')} notice;
${root ? '# As root, the worker runs as root too (by default it would be "nobody", who cannot\n# use the files under this folder), as it does as any other user.\nuser root;\n' : ''}
events {
  worker_connections 1024;
}

http {
  access_log ${path('access.log')};
  client_body_temp_path ${path('temp/client_body')};
  proxy_temp_path ${path('temp/proxy')};
  fastcgi_temp_path ${path('temp/fastcgi')};
  uwsgi_temp_path ${path('temp/uwsgi')};
  scgi_temp_path ${path('temp/scgi')};
  types {
    text/html html;
    text/css css;
    text/javascript js mjs;
    application/json json;
    image/png png;
    image/svg+xml svg;
    image/x-icon ico;
    text/plain txt;
  }
  default_type application/octet-stream;

  ${YOURS}
${http
  .trim()
  .split('\n')
  .map((line) => (line ? `  ${line}` : line))
  .join('\n')}
}
`
}

/** The comment just above the caller's configuration in the whole one. */
const YOURS = '# Yours, from here on:'

/**
 * nginx names lines of the whole configuration ("… in /x/nginx.conf:33"); add which line of
 * the caller's own configuration that is.
 */
function withYourLine(message: string, configFile: string): string {
  const line = Number(new RegExp(`${escapeRegExp(configFile)}:(\\d+)`).exec(message)?.[1])
  const start = read(configFile).split('\n').indexOf(`  ${YOURS}`) + 1
  if (!line || !start || line <= start) return message
  return `${message} (line ${line - start} of your configuration)`
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`
}

export interface ListenAddress {
  host: string
  port: number
}

/**
 * The first `listen` of a configuration: `listen 8080;`, `listen 127.0.0.1:8080;`,
 * `listen [::1]:8080;` or `listen localhost:8080 …;`. An address for every interface
 * (none, `*`, 0.0.0.0) is reached at 127.0.0.1.
 */
export function listenAddress(http: string): ListenAddress {
  const match = /(?:^|[\s;{])listen\s+([^\s;]+)/.exec(http)
  const address = match?.[1] ?? ''
  const parts = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(address)
  if (!parts) {
    throw new ServerStartError(
      address
        ? `startNginx needs a TCP port in the first listen directive (got "listen ${address}").`
        : 'The configuration has no `listen` directive: add one, such as `listen 127.0.0.1:8080;`, to a server block.',
    )
  }
  let host = parts[1] ?? '127.0.0.1'
  if (host === '*' || host === '0.0.0.0' || host === 'localhost') host = '127.0.0.1'
  if (host === '[::]') host = '::1'
  return { host: host.replace(/^\[(.*)\]$/, '$1'), port: Number(parts[2]) }
}

function urlOf({ host, port }: ListenAddress): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** nginx's own words (its [emerg] line) on why it stopped while starting. */
function explainNginxFailure(files: {
  configFile: string
  errorLog: string
  output: string
}): string {
  const text = `${read(files.output)}\n${read(files.errorLog)}`
  const problem = /\[(?:emerg|alert|crit)\] (?:\d+#\d+: )?([^\n]*)/.exec(text)?.[1]
  if (problem) return `nginx did not start: ${withYourLine(problem, files.configFile)}`
  const tail = text.trim().split('\n').slice(-8).join('\n')
  return `nginx stopped while starting. What it wrote:\n${tail}`
}

/**
 * After SIGHUP: the master reads the configuration again, starts a new worker and tells the old
 * one to stop taking connections ("gracefully shutting down"), or logs [emerg] and keeps the
 * old configuration. Returns that [emerg] message, or undefined when the new one is live.
 */
async function waitForReload(
  errorLog: string,
  from: number,
  configFile: string,
): Promise<string | undefined> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const text = readFrom(errorLog, from)
    const problem = /\[(?:emerg|alert|crit)\] [\d#*]+: ([^\n]*)/.exec(text)
    if (problem) return withYourLine(problem[1] ?? '', configFile)
    if (/gracefully shutting down/.test(text)) return undefined
    await sleep(20)
  }
  return `no sign of the reload in ${errorLog} within 10 s`
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/** A file's text after its first `from` bytes. */
function readFrom(file: string, from: number): string {
  try {
    return readFileSync(file).subarray(from).toString('utf8')
  } catch {
    return ''
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

const versions = new Map<string, boolean>()

/** Does this nginx know `-e` (nginx 1.19.5 and newer)? `nginx -v` prints "nginx version: nginx/1.22.1". */
function supportsErrorLogOption(program: string): boolean {
  let known = versions.get(program)
  if (known === undefined) {
    const { stderr } = spawnSync(program, ['-v'], { encoding: 'utf8' })
    const [major = 0, minor = 0, patch = 0] = (
      /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(stderr ?? '') ?? []
    )
      .slice(1)
      .map(Number)
    known = major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)))
    versions.set(program, known)
  }
  return known
}
