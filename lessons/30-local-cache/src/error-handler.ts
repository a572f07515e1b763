import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { constraintViolation, isDatabaseUnavailable, isInvalidText } from './db/errors.js'
import { ConflictError, NotFoundError, RefreshTokenError } from './errors.js'

/**
 * The one error shape of every failure, `code` for programs and `message` for people:
 *   { "statusCode": 404, "code": "NOT_FOUND", "error": "Not Found", "message": "There is no …" }
 */
export function errorBody(statusCode: number, code: string, message: string) {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/**
 * An error that knows its HTTP answer, for refusals that only make sense in HTTP (a 401 for a
 * request without a token). Routes throw domain errors (errors.ts) for everything else.
 */
export class HttpError extends Error {
  override name = 'HttpError'

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Fastify's own codes (FST_ERR_…) renamed, so a front end need not know Fastify. */
const FASTIFY_CODES: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'INVALID_JSON',
    message: 'The body is not valid JSON, or has a key that is not allowed (__proto__).',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'EMPTY_BODY', message: 'The body is empty: send JSON.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'This content type is not supported: send JSON with "Content-Type: application/json".',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: 'The body is too large.' },
  FST_ERR_VALIDATION: { code: 'VALIDATION_FAILED' },
  FST_ERR_BAD_URL: { code: 'BAD_URL', message: 'The URL is not valid: check its %-escapes.' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URL_TOO_LONG', message: 'A part of the URL is too long.' },
}

const DOWN = 'The database is not available right now. Please try again in a moment.'

const BAD_TEXT = 'Text must not contain the NUL character (\\u0000).'

/** A write the constraints refused clashes with what is there: a 409 naming columns, not SQL. */
const CONFLICTS = {
  unique: ['ALREADY_EXISTS', 'Another record already has this %s.'],
  'foreign-key': ['REFERENCE_NOT_FOUND', 'The %s refers to something that does not exist.'],
  'still-referenced': ['STILL_REFERENCED', 'Other records still refer to this one.'],
} as const

/** What the caller should be told about an error, or undefined for one we did not expect. */
export function toHttpError(error: FastifyError): HttpError | undefined {
  if (error instanceof HttpError) return error
  if (error instanceof NotFoundError) return new HttpError(404, 'NOT_FOUND', error.message)
  if (error instanceof ConflictError) return new HttpError(409, error.code, error.message)
  // A refresh token that cannot be used: the cure is to log in again.
  if (error instanceof RefreshTokenError) return new HttpError(401, error.code, error.message)
  // The database is down or unreachable: not the caller's mistake, nor a bug. Try again later.
  if (isDatabaseUnavailable(error)) return new HttpError(503, 'DATABASE_UNAVAILABLE', DOWN)
  if (isInvalidText(error)) return new HttpError(400, 'INVALID_TEXT', BAD_TEXT)
  const violation = constraintViolation(error)
  if (violation) {
    const [code, message] = CONFLICTS[violation.kind]
    const fields = violation.columns.join(' and ') || 'value'
    return new HttpError(409, code, message.replace('%s', fields))
  }
  // Fastify's errors for a bad request (bad JSON, failed validation …) carry a 4xx statusCode.
  const statusCode = error.statusCode ?? 500
  if (statusCode >= 500) return undefined
  const known = FASTIFY_CODES[error.code]
  const message = unknownFieldMessage(error) ?? known?.message ?? error.message
  return new HttpError(statusCode, known?.code ?? error.code, message)
}

/**
 * The app's error handler: every thrown error becomes the one error shape. Client mistakes
 * (4xx) keep their message; anything unexpected becomes a 500 that says nothing about our
 * insides (no stack trace, no file names) and is logged in full, with its request id.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = toHttpError(error)
  if (!known) {
    request.log.error({ err: error }, 'request failed')
    const message = `Something went wrong on our side. The server log has the details (request id ${request.id}).`
    return reply.code(500).send(errorBody(500, 'INTERNAL_ERROR', message))
  }
  if (known.statusCode >= 500) request.log.warn({ err: error }, known.message)
  if (known.statusCode === 503) reply.header('retry-after', 5) // for a while: say when to retry
  return reply.code(known.statusCode).send(errorBody(known.statusCode, known.code, known.message))
}

/**
 * Unknown routes get the one error shape too, naming what was asked for. A path that exists,
 * asked with a method it lacks (PUT /todos/1), is not "not found": HTTP says 405, with an Allow
 * header naming the methods it has. Fastify's router only says "no route", so a second router
 * (find-my-way, the one inside Fastify) learns each route as it is added, and is asked.
 */
export function notFoundHandler(app: FastifyInstance) {
  const routes = FindMyWay({ ignoreTrailingSlash: true })
  const methods = new Set<HTTPMethod>()
  app.addHook('onRoute', ({ method, url }) => {
    if (url.includes('*')) return // a catch-all matches every path: it says nothing about one
    for (const one of [method].flat() as HTTPMethod[]) {
      routes.on(one, url, () => {})
      methods.add(one)
    }
  })
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/'
    const allowed = [...methods].filter((method) => routes.find(method, path)).join(', ')
    if (allowed) {
      const message = `${request.method} is not allowed on ${path}: use ${allowed}.`
      reply.code(405).header('allow', allowed)
      return reply.send(errorBody(405, 'METHOD_NOT_ALLOWED', message))
    }
    const message = `There is no route ${request.method} ${request.url}.`
    return reply.code(404).send(errorBody(404, 'ROUTE_NOT_FOUND', message))
  }
}

/** Ajv says "body must NOT have additional properties"; name the field, so it can be fixed. */
function unknownFieldMessage(error: FastifyError): string | undefined {
  const first = error.validation?.[0]
  if (first?.keyword !== 'additionalProperties') return undefined
  const field = (first.params as { additionalProperty?: string }).additionalProperty
  return `${error.validationContext ?? 'body'} has an unknown field "${field}".`
}

/**
 * Requests that Node refuses before Fastify sees them (not HTTP at all, a bad Content-Length,
 * headers over 16 KB) get the one shape too, written straight to the connection.
 */
export function clientErrorHandler(error: { code?: string }, socket: Socket) {
  if (!socket.writable) return socket.destroy()
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large (16 KB at most).']
      : [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP.']
  const body = JSON.stringify(errorBody(status, code, message))
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n`
  socket.end(
    `${head}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}
