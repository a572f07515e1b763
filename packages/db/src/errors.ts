import { HttpError } from '@kitchen/core'

/** The fields of a Postgres error (from pg) and of a Node network error that we look at. */
interface ErrorFields {
  code?: unknown
  message?: unknown
  detail?: unknown
  constraint?: unknown
  column?: unknown
  errors?: unknown
  cause?: unknown
}

/** Network errors: nothing answers, or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])

/**
 * Postgres codes meaning "the database cannot serve you right now": shutting down (57P01-57P03),
 * any connection problem (class 08), too many connections (53300), and a wrong password or
 * database name in the configuration (28xxx, 3D000), which the client cannot fix either.
 */
function isUnavailableCode(code: string): boolean {
  return (
    ['57P01', '57P02', '57P03', '53300', '3D000'].includes(code) ||
    code.startsWith('08') ||
    code.startsWith('28')
  )
}

/** pg's own messages when a connection dies or cannot be made in time. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i

const UNAVAILABLE = 'The database is not available right now. Please try again in a moment.'

/**
 * Turn a database error into the HTTP answer it deserves (pass it to `createErrorHandler`).
 * The messages never contain SQL or table names: only the fields a caller sent, named from the
 * error's `detail` ("Key (email)=(...) already exists") or `column`. Unknown errors give
 * undefined, which the error handler turns into a 500.
 */
export function databaseErrorTranslator(error: unknown): HttpError | undefined {
  const fields = findDatabaseError(error)
  if (!fields) return undefined
  const code = typeof fields.code === 'string' ? fields.code : ''
  const message = typeof fields.message === 'string' ? fields.message : ''

  if (NETWORK_CODES.has(code) || isUnavailableCode(code) || CONNECTION_MESSAGES.test(message)) {
    return new HttpError(503, 'DATABASE_UNAVAILABLE', UNAVAILABLE)
  }
  switch (code) {
    case '23505':
      return new HttpError(409, 'ALREADY_EXISTS', alreadyExists(fields))
    case '23503':
      return foreignKey(fields)
    case '23001': // restrict_violation: ON DELETE RESTRICT refused to delete a referenced row
      return new HttpError(409, 'STILL_REFERENCED', 'Other records still refer to this one.')
    case '23502':
      return invalid(
        typeof fields.column === 'string'
          ? `"${fields.column}" is required.`
          : 'A required value is missing.',
      )
    case '23514':
      return invalid(
        typeof fields.constraint === 'string'
          ? `A value breaks the rule "${fields.constraint}".`
          : 'A value is not allowed.',
      )
    case '22P02':
      return invalid(wrongFormat(message))
    case '22001':
      return invalid(tooLong(message))
    case '22003':
      return invalid('A number is out of range.')
    case '22007':
    case '22008':
      return invalid('A date or time is not valid.')
    case '40001':
    case '40P01':
      return new HttpError(
        409,
        'CONFLICT_RETRY',
        'Another request changed the same data at the same time. Please try again.',
      )
  }
  return undefined
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'INVALID_INPUT', message)
}

/**
 * The error itself, or the first one inside it with a code or a connection message: Kysely and
 * others may wrap it in `cause`, and a failed connect to "localhost" (IPv4 and IPv6) is an
 * AggregateError holding one error per address.
 */
function findDatabaseError(error: unknown, depth = 0): ErrorFields | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined
  const fields = error as ErrorFields
  if (typeof fields.code === 'string' && fields.code !== '') return fields
  if (typeof fields.message === 'string' && CONNECTION_MESSAGES.test(fields.message)) return fields
  for (const inner of Array.isArray(fields.errors) ? fields.errors : []) {
    const found = findDatabaseError(inner, depth + 1)
    if (found) return found
  }
  return findDatabaseError(fields.cause, depth + 1)
}

/** "Key (user_id, title)=(7, milk) ..." → ["user_id", "title"] */
function keyColumns(detail: unknown): string[] {
  const match = typeof detail === 'string' ? /^Key \(([^)]*)\)=/.exec(detail) : null
  return match?.[1] ? match[1].split(',').map((column) => column.trim().replaceAll('"', '')) : []
}

function alreadyExists(fields: ErrorFields): string {
  const columns = keyColumns(fields.detail)
  if (columns.length > 0) return `Another record already has this ${columns.join(' and ')}.`
  return 'This record already exists.'
}

function foreignKey(fields: ErrorFields): HttpError {
  const columns = keyColumns(fields.detail)
  const detail = typeof fields.detail === 'string' ? fields.detail : ''
  if (detail.includes('is still referenced')) {
    // Deleting (or changing) a row that other rows point to.
    return new HttpError(409, 'STILL_REFERENCED', 'Other records still refer to this one.')
  }
  const what = columns.length > 0 ? `The ${columns.join(' and ')}` : 'A value'
  return new HttpError(
    409,
    'REFERENCE_NOT_FOUND',
    `${what} refers to something that does not exist.`,
  )
}

/** 'invalid input syntax for type uuid: "abc"' → 'A value is not a valid uuid.' */
function wrongFormat(message: string): string {
  if (message.includes('for enum')) return 'A value is not one of the allowed values.'
  const type = /for type ([\w ]+?)(?::|$)/.exec(message)?.[1]
  return type ? `A value is not a valid ${type}.` : 'A value has the wrong format.'
}

/** 'value too long for type character varying(200)' → 'A value is too long (at most 200 characters).' */
function tooLong(message: string): string {
  const limit = /\((\d+)\)/.exec(message)?.[1]
  return limit ? `A value is too long (at most ${limit} characters).` : 'A value is too long.'
}
