import { randomUUID } from 'node:crypto'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { DestinationStream, LevelWithSilent } from 'pino'

export interface CreateAppOptions {
  /** How much to log: 'silent' (the default), 'fatal' … 'info' … 'trace'. */
  logLevel?: LevelWithSilent
  /** Where log lines go (standard output when left out). Tests pass a stream to read them. */
  logStream?: DestinationStream
  /** Print logs as coloured, readable lines instead of JSON (for a person at a terminal). */
  prettyLogs?: boolean
  /** The largest request body in bytes; larger ones get 413. Defaults to 1 MiB. */
  bodyLimit?: number
}

/**
 * Request bodies are checked strictly: `"title": 123` is an error, not the string "123".
 * URL parts (params, query string) are always text, so "7" may become the number 7 there.
 * Neither drops unknown fields silently: a schema with `additionalProperties: false` rejects them.
 */
function createValidators() {
  const strict = addFormats.default(
    new Ajv.default({ coerceTypes: false, useDefaults: true, removeAdditional: false }),
  )
  const fromUrl = addFormats.default(
    new Ajv.default({ coerceTypes: 'array', useDefaults: true, removeAdditional: false }),
  )
  return { strict, fromUrl }
}

/**
 * Build a Fastify app with the settings every lesson shares. It does not listen: `server.ts`
 * does that, and tests call `app.inject()` without opening a port.
 */
export function createApp(options: CreateAppOptions = {}): FastifyInstance {
  const level = options.logLevel ?? 'silent'
  // No logger at all when nothing would be logged: a silent one still costs time per request.
  const logger: FastifyServerOptions['logger'] = level !== 'silent' && {
    level,
    ...(options.logStream ? { stream: options.logStream } : {}),
    ...(options.prettyLogs && !options.logStream
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
    // Secrets never reach the log, even at 'trace'.
    redact: [
      'req.headers.authorization',
      'req.headers.cookie',
      'headers.authorization',
      'headers.cookie',
      'res.headers["set-cookie"]',
    ],
  }

  const app = Fastify({
    logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Every request gets an id. A caller (or a proxy) may send its own in X-Request-Id; we keep
    // it only when it is short and plain, so nobody can write strange text into our logs.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID()
    },
  })

  const { strict, fromUrl } = createValidators()
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : fromUrl).compile(schema),
  )

  // Tell the caller which request id to quote when reporting a problem.
  // (A callback hook, not an async one: it runs on every request, and this is cheaper.)
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })

  return app
}
