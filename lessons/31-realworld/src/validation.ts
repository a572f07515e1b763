import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * Fastify checks requests with Ajv, a JSON Schema checker. Its defaults are forgiving: it
 * converts `"title": 123` into the text "123". We want a request body to mean exactly what was
 * sent, so bodies are checked strictly: a wrong type is a 422. `allErrors`: every field at
 * fault is named at once, so a form can mark them all (the body is at most 16 KiB).
 */
const strict = addFormats.default(
  new Ajv.default({
    coerceTypes: false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
  }),
)

/**
 * URL parts (the `:id` param, the query string) are always text, so there "7" may become the
 * number 7 (and "abc" still fails). `coerceTypes: 'array'` also turns `?tag=a` into ['a'].
 */
const fromUrl = addFormats.default(
  new Ajv.default({ coerceTypes: 'array', useDefaults: true, removeAdditional: false }),
)

/**
 * Build the check for one part of one route's schema. The spec's schemas allow fields they do
 * not list (no `additionalProperties: false`): a client may send more, and we read only ours.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const check = (httpPart === 'body' ? strict : fromUrl).compile(schema)
  return (data: unknown) => {
    if (!check(data)) return { error: check.errors ?? [] }
    // Databases (PostgreSQL) cannot store the NUL character: refuse it in any text, saying where,
    // as one more finding of the check (error-handler.ts names the field).
    const path = nulPath(data)
    if (path === undefined) return true
    const message = 'must not contain the NUL character'
    return { error: [{ instancePath: path, keyword: 'nul', message, params: {}, schemaPath: '' }] }
  }
}

/** Where a text holding NUL (\u0000) is, such as '/title'; undefined when there is none. */
function nulPath(data: unknown, path = ''): string | undefined {
  if (typeof data === 'string') return data.includes('\0') ? path : undefined
  if (typeof data !== 'object' || data === null) return undefined
  for (const [key, value] of Object.entries(data)) {
    const found = nulPath(value, `${path}/${key}`)
    if (found !== undefined) return found
  }
  return undefined
}
