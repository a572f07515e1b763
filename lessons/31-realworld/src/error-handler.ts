import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { constraintViolation, isDatabaseUnavailable, isInvalidText } from './db/errors.js'
import { ForbiddenError, NotFoundError } from './errors.js'

/**
 * The spec's one error shape: each field (or thing) with what is wrong with it.
 *   { "errors": { "title": ["can't be blank"], "body": ["can't be blank"] } }
 * Front ends show each as "<field> <message>": "title can't be blank". So a message here is
 * written to follow its field's name.
 */
export type Problems = Record<string, string[]>

export function errorBody(field: string, message: string): { errors: Problems } {
  return { errors: { [field]: [message] } }
}

/**
 * An error that knows its HTTP answer, for refusals that only make sense in HTTP (a 401 for a
 * request without a token). Routes throw domain errors (errors.ts) for everything else.
 */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly errors: Problems

  constructor(
    readonly statusCode: number,
    field: string,
    message: string,
  ) {
    super(`${field} ${message}`)
    this.errors = { [field]: [message] }
  }
}

/** Fastify's own refusals of a request, in the spec's words: [status, field, message]. */
const FASTIFY_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [
    400,
    'body',
    'is not valid JSON, or has a key that is not allowed (__proto__)',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'body',
    'must be JSON, sent with "Content-Type: application/json"',
  ],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body', 'is too large (128 KiB at most)'],
  FST_ERR_BAD_URL: [400, 'url', 'is not valid: check its %-escapes'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'url', 'is too long'],
}

/** A write the constraints refused: a 409 naming the field, never the SQL. */
const CONFLICTS = {
  unique: 'has already been taken',
  'foreign-key': 'refers to something that does not exist',
  'still-referenced': 'is still in use',
} as const

/** What the caller should be told about an error, or undefined for one we did not expect. */
function toAnswer(error: FastifyError): { statusCode: number; errors: Problems } | undefined {
  if (error instanceof HttpError) return error
  if (error instanceof NotFoundError) return answer(404, error.resource, 'not found')
  if (error instanceof ForbiddenError) return answer(403, error.resource, 'forbidden')
  // The request broke its route's schema: 422, naming every field at fault.
  if (error.validation) {
    return {
      statusCode: 422,
      errors: validationProblems(error.validation, error.validationContext),
    }
  }
  // The database is down or unreachable: not the caller's mistake, nor a bug. Try again later.
  if (isDatabaseUnavailable(error)) {
    return answer(503, 'database', 'is not available right now: try again in a moment')
  }
  if (isInvalidText(error)) return answer(422, 'body', 'must not contain the NUL character')
  const violation = constraintViolation(error)
  if (violation) {
    const errors: Problems = {}
    for (const column of violation.columns) errors[column] = [CONFLICTS[violation.kind]]
    return { statusCode: 409, errors }
  }
  const known = FASTIFY_ERRORS[error.code]
  if (known) return answer(...known)
  // Other refusals of Fastify's (a 4xx statusCode) keep their message.
  const statusCode = error.statusCode ?? 500
  return statusCode < 500 ? answer(statusCode, 'request', error.message) : undefined
}

function answer(statusCode: number, field: string, message: string) {
  return { statusCode, errors: { [field]: [message] } }
}

/**
 * The app's error handler: every thrown error becomes the one error shape. Client mistakes
 * (4xx) say what to fix; anything unexpected becomes a 500 that says nothing about our insides
 * (no stack trace, no file names) and is logged in full, with its request id.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = toAnswer(error)
  if (!known) {
    request.log.error({ err: error }, 'request failed')
    const message = `had a problem on our side: the server log has the details (request id ${request.id})`
    return reply.code(500).send(errorBody('server', message))
  }
  if (known.statusCode >= 500) request.log.warn({ err: error }, 'request refused')
  if (known.statusCode === 503) reply.header('retry-after', 5) // for a while: say when to retry
  return reply.code(known.statusCode).send({ errors: known.errors })
}

/** Unknown routes get the one error shape too, naming what was asked for. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody('route', `${request.method} ${request.url} does not exist`))
}

/** One problem that the schema check (Ajv) found, or our own check for NUL (validation.ts). */
interface Issue {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/**
 * Ajv's findings, by field: '/article/title' is the field "title", '/article/tagList/2' is
 * "tagList", and a problem with the body as a whole is "body". Each message once per field.
 */
export function validationProblems(issues: Issue[], context = 'body'): Problems {
  const problems: Problems = {}
  for (const issue of issues) {
    const missing = issue.params.missingProperty
    const names = issue.instancePath.split('/').filter((part) => part && !/^\d+$/.test(part))
    const field = typeof missing === 'string' ? missing : (names.at(-1) ?? context)
    const list = problems[field] ?? []
    const message = describe(issue)
    if (!list.includes(message)) list.push(message)
    problems[field] = list
  }
  return problems
}

/** JSON Schema's type names, as a person would say them. */
const TYPES: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
}

/** What Ajv found, in the words front ends expect after a field's name. */
function describe({ keyword, params, message }: Issue): string {
  const limit = params.limit
  if (keyword === 'required' || (keyword === 'minLength' && limit === 1)) return "can't be blank"
  if (keyword === 'pattern' && params.pattern === '\\S') return "can't be blank" // only spaces
  if (keyword === 'minLength') return `is too short (minimum is ${limit} characters)`
  if (keyword === 'maxLength') return `is too long (maximum is ${limit} characters)`
  if (keyword === 'minProperties') return "can't be empty"
  if (keyword === 'format') return 'is invalid'
  if (keyword === 'minimum') return `must be ${limit} or more`
  if (keyword === 'maximum') return `must be ${limit} or less`
  if (keyword === 'maxItems') return `must have ${limit} items at most`
  if (keyword === 'type') {
    const types = [params.type].flat().map((type) => TYPES[String(type)] ?? String(type))
    return `must be ${types.join(' or ')}`
  }
  return message ?? 'is invalid'
}

/**
 * Requests that Node refuses before Fastify sees them (not HTTP at all, a bad Content-Length,
 * headers over 16 KB) get the one shape too, written straight to the connection.
 */
export function clientErrorHandler(error: { code?: string }, socket: Socket) {
  if (!socket.writable) return socket.destroy()
  const [status, field, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers', 'are too large (16 KB at most)']
      : [400, 'request', 'is not valid HTTP']
  const body = JSON.stringify(errorBody(field, message))
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n`
  socket.end(
    `${head}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}
