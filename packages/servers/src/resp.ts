/**
 * Just enough of RESP, the Redis protocol, to ask a server "are you there?" (PING) over a plain
 * socket: no client library needed. A command is an array of strings:
 *   *1\r\n$4\r\nPING\r\n      and the answer a line:   +PONG\r\n   (or -ERR … for an error)
 */
import { connect as connectTcp, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'

export interface RedisAddress {
  host: string
  port: number
  /** rediss:// (Redis over TLS, as hosted Redis services offer). */
  tls: boolean
  username?: string
  password?: string
}

/** redis://[[user]:password@]host[:port][/db] or rediss://… (TLS). */
export function parseRedisUrl(url: string): RedisAddress {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`"${url}" is not a URL: write a Redis URL like redis://127.0.0.1:6379`)
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(
      `"${maskPassword(url)}" is not a Redis URL: it must start with redis:// (or rediss:// for TLS).`,
    )
  }
  const address: RedisAddress = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    tls: parsed.protocol === 'rediss:',
  }
  if (parsed.username) address.username = decodeURIComponent(parsed.username)
  if (parsed.password) address.password = decodeURIComponent(parsed.password)
  return address
}

/** The URL with its password (if any) replaced by ***, for messages. */
export function maskPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]+@/i, '$1***@')
}

/**
 * Does the Redis at `url` answer PING with PONG? Sends AUTH first when the URL has a password.
 * Resolves when it does; rejects with the server's error (NOAUTH …, WRONGPASS …), the
 * connection's (ECONNREFUSED …) or "no answer within … ms" otherwise.
 */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  const address = parseRedisUrl(url)
  const commands: string[][] = []
  if (address.password !== undefined) {
    commands.push(
      address.username ? ['AUTH', address.username, address.password] : ['AUTH', address.password],
    )
  }
  commands.push(['PING'])
  const replies = await exchange(address, commands, timeoutMs)
  const error = replies.find((reply) => reply.startsWith('-'))
  if (error) throw new Error(error.slice(1))
  const last = replies.at(-1)
  if (last !== '+PONG') throw new Error(`Redis answered PING with ${JSON.stringify(last)}.`)
}

/** Does the Redis at `url` answer PING? */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  return pingRedis(url, timeoutMs).then(
    () => true,
    () => false,
  )
}

/** One command in RESP: an array of bulk strings. */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`
}

/** Send the commands at once and collect one line per command (simple replies only). */
function exchange(
  address: RedisAddress,
  commands: string[][],
  timeoutMs: number,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const options = { host: address.host, port: address.port }
    const socket: Socket = address.tls
      ? connectTls({ ...options, servername: address.host })
      : connectTcp(options)
    let received = ''
    const finish = (error: Error | undefined, replies: string[] = []) => {
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve(replies)
    }
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    socket.once(address.tls ? 'secureConnect' : 'connect', () => {
      socket.write(commands.map(encodeCommand).join(''))
    })
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8')
      const lines = received.split('\r\n')
      if (lines.length > commands.length) finish(undefined, lines.slice(0, commands.length))
    })
    socket.once('error', (error) => finish(error))
    socket.once('close', () => finish(new Error('the connection closed before an answer')))
  })
}
