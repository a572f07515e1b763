/**
 * Is this error "the database cannot serve us now" (not a bug)? A fact, no HTTP: network codes,
 * Postgres codes (57P0x shutting down, 57014 too slow for statement_timeout, 08xxx connection,
 * 53300 too many connections, 28xxx or 3D000 wrong password or database) or pg's messages (no
 * connection, no answer), also inside `cause` or an AggregateError (one per address tried).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false
  const { code, message, errors, cause } = error as Record<string, unknown>
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true
  if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true
  const inner = [...(Array.isArray(errors) ? errors : []), cause]
  return inner.some((each) => isDatabaseUnavailable(each, depth + 1))
}

const UNAVAILABLE_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|EPIPE|57P0[123]|08...|53300|57014|28...|3D000)$/
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|encountered a connection error|after calling end/i
