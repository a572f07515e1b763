import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyServerOptions, LogLevel, onSendHookHandler } from 'fastify'

export interface LogOptions {
  /** How much to log: 'silent' (the default), 'fatal' … 'info' … 'trace'. */
  logLevel?: LogLevel
  /** Where log lines go (standard output when left out). Tests pass a stream to read them. */
  logStream?: { write(line: string): void }
  /** Print logs as coloured, readable lines instead of JSON (for a person at a terminal). */
  prettyLogs?: boolean
}

/** Secrets never reach the log, even at 'trace'. */
const redact = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
]
const pretty = {
  target: 'pino-pretty',
  options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
}

/** Fastify's `logger` option: the settings for pino, the logger Fastify comes with. */
export function loggerOptions(options: LogOptions): FastifyServerOptions['logger'] {
  const level = options.logLevel ?? 'silent'
  // No logger at all when nothing would be logged: a silent one still costs time per request.
  if (level === 'silent') return false
  if (options.logStream) return { level, redact, stream: options.logStream }
  return { level, redact, ...(options.prettyLogs ? { transport: pretty } : {}) }
}

/**
 * Fastify's `genReqId`: every request gets an id. A caller (or a proxy) may send its own in
 * X-Request-Id; we keep it only when it is short and plain, so nobody can write strange text
 * into our logs. Anything else gets a fresh random UUID.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id']
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID()
}

/**
 * An onSend hook: tell the caller which request id to quote when reporting a problem.
 * (A callback hook, not an async one: it runs on every request, and this is cheaper.)
 */
export const sendRequestId: onSendHookHandler = (request, reply, payload, done) => {
  reply.header('x-request-id', request.id)
  done(null, payload)
}
