import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * Fastify checks requests with Ajv, a JSON Schema checker. Its defaults are forgiving: it
 * converts `"title": 123` into the text "123" and `"done": 1` into true. We want a request body
 * to mean exactly what was sent, so bodies are checked strictly: a wrong type is a 400.
 */
const strict = addFormats.default(
  new Ajv.default({ coerceTypes: false, useDefaults: true, removeAdditional: false }),
)

/**
 * URL parts (the `:id` param, the query string) are always text, so there "7" may become the
 * number 7 (and "abc" still fails). `coerceTypes: 'array'` also turns `?tag=a` into ['a'].
 */
const fromUrl = addFormats.default(
  new Ajv.default({ coerceTypes: 'array', useDefaults: true, removeAdditional: false }),
)

/**
 * Build the check for one part of one route's schema. Neither checker drops unknown fields
 * silently (`removeAdditional: false`): a schema with `additionalProperties: false` rejects them.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : fromUrl).compile(schema)
