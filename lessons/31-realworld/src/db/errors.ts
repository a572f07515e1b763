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

/** Text Postgres cannot store (22021: a NUL character), should any get past the schemas. */
export function isInvalidText(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '22021'
}

/** A write the schema refused: which kind of constraint, and the columns it is about. */
export interface ConstraintViolation {
  kind: 'unique' | 'foreign-key' | 'still-referenced'
  columns: string[]
}

/**
 * The constraint a failed write broke (23505 unique, 23503 foreign key, 23001 ON DELETE RESTRICT),
 * or undefined. The detail names the columns: 'Key (name)=(Milk) already exists.' → ['name'].
 */
export function constraintViolation(error: unknown): ConstraintViolation | undefined {
  const { code, detail } = (error ?? {}) as Record<string, unknown>
  const text = typeof detail === 'string' ? detail : ''
  const columns = /^Key \(([^)]*)\)=/.exec(text)?.[1]?.split(', ') ?? []
  if (code === '23505') return { kind: 'unique', columns }
  if (code !== '23503' && code !== '23001') return undefined
  // A foreign key is broken both ways round: a reference to nothing, or a delete of a row
  // that others still refer to (23001 when the key says ON DELETE RESTRICT).
  const deleting = code === '23001' || text.includes('still referenced')
  return { kind: deleting ? 'still-referenced' : 'foreign-key', columns }
}
