import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'

/**
 * The one error shape every endpoint answers with, for every kind of failure:
 *
 *   { "statusCode": 404, "code": "NOT_FOUND", "error": "Not Found", "message": "To-do 7 does not exist" }
 *
 * `code` is for programs (stable, SHOUTING_SNAKE_CASE); `message` is for people.
 */
export interface ErrorBody {
  statusCode: number
  code: string
  error: string
  message: string
}

/** The same shape as a schema, for routes that document their error responses. */
export const ErrorBodySchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
})

/**
 * An error that already knows which HTTP answer it should become.
 * Throw it from a route: `throw new HttpError(404, 'NOT_FOUND', 'To-do 7 does not exist')`.
 */
export class HttpError extends Error {
  readonly statusCode: number
  readonly code: string

  constructor(statusCode: number, code: string, message: string) {
    super(message)
    this.name = 'HttpError'
    this.statusCode = statusCode
    this.code = code
  }
}

/** Shortcuts for the answers lessons give most often. */
export const httpErrors = {
  badRequest: (message: string, code = 'BAD_REQUEST') => new HttpError(400, code, message),
  unauthorized: (message: string, code = 'UNAUTHORIZED') => new HttpError(401, code, message),
  forbidden: (message: string, code = 'FORBIDDEN') => new HttpError(403, code, message),
  notFound: (message: string, code = 'NOT_FOUND') => new HttpError(404, code, message),
  conflict: (message: string, code = 'CONFLICT') => new HttpError(409, code, message),
  tooManyRequests: (message: string, code = 'TOO_MANY_REQUESTS') =>
    new HttpError(429, code, message),
  serviceUnavailable: (message: string, code = 'SERVICE_UNAVAILABLE') =>
    new HttpError(503, code, message),
}

/** Build the body of an error answer. */
export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/**
 * Fastify's own errors have codes such as FST_ERR_CTP_INVALID_MEDIA_TYPE. A learner (or a
 * front end) should not need to know Fastify to understand them, so we rename the common ones.
 */
const FASTIFY_CODES: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'EMPTY_BODY',
    message: 'The body is empty, but this route expects JSON.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'This content type is not supported: send JSON with "Content-Type: application/json".',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: 'The body is too large.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'BAD_CONTENT_LENGTH',
    message: 'The Content-Length header does not match the body.',
  },
  FST_ERR_VALIDATION: { code: 'VALIDATION_FAILED' },
}

/**
 * Turns an error some other part of the app understands (a database error, say) into an
 * HttpError, or returns undefined to leave it alone. Lessons pass these to `createErrorHandler`.
 */
export type ErrorTranslator = (error: unknown) => HttpError | undefined

/**
 * The app's error handler: every thrown error becomes the one error shape.
 * Client mistakes (4xx) keep their message; anything else becomes a 500 that says nothing
 * about our insides (no stack trace, no SQL) and is logged in full with its request id.
 */
export function createErrorHandler(translators: ErrorTranslator[] = []) {
  return function errorHandler(
    rawError: FastifyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply {
    let error: FastifyError | HttpError = rawError
    for (const translate of translators) {
      const translated = translate(rawError)
      if (translated) {
        error = translated
        break
      }
    }

    const statusCode = error.statusCode ?? 500
    if (statusCode >= 500) {
      if (error instanceof HttpError) {
        // A 5xx we chose to send (such as 503 "database unavailable") is trouble we expected:
        // a warning without a stack trace will do, and its message is safe to show.
        request.log.warn({ code: error.code, cause: (rawError as Error).message }, error.message)
        return reply.code(statusCode).send(errorBody(statusCode, error.code, error.message))
      }
      request.log.error({ err: rawError }, 'request failed')
      return reply
        .code(500)
        .send(
          errorBody(
            500,
            'INTERNAL_ERROR',
            `Something went wrong on our side. The server log has the details (request id ${request.id}).`,
          ),
        )
    }

    const known = FASTIFY_CODES[error.code]
    const message = 'validation' in error && error.validation ? validationMessage(error) : undefined
    return reply
      .code(statusCode)
      .send(
        errorBody(
          statusCode,
          known?.code ?? error.code ?? codeFromStatus(statusCode),
          message ?? known?.message ?? error.message,
        ),
      )
  }
}

/** The error handler with no translators: what lessons without a database use. */
export const errorHandler = createErrorHandler()

/** Unknown routes get the one error shape too, naming what was asked for. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(errorBody(404, 'ROUTE_NOT_FOUND', `There is no route ${request.method} ${request.url}.`))
}

function codeFromStatus(statusCode: number): string {
  return (STATUS_CODES[statusCode] ?? 'Error').toUpperCase().replace(/[^A-Z0-9]+/g, '_')
}

/**
 * Fastify's validation messages read "body must NOT have additional properties". Say which
 * field instead, so the person sending the request knows what to fix.
 */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0]
  const where = error.validationContext ?? 'request'
  if (first?.keyword === 'additionalProperties') {
    const field = (first.params as { additionalProperty?: string }).additionalProperty
    return `${where} has an unknown field "${field}".`
  }
  return error.message
}
