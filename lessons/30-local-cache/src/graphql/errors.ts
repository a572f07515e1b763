import type { FastifyError, FastifyReply } from 'fastify'
import { type ExecutionResult, GraphQLError } from 'graphql'
import mercurius, { type MercuriusContext } from 'mercurius'
import { HttpError, toHttpError } from '../error-handler.js'

/**
 * Errors go in `errors`, each with `extensions.code`: the code a REST route answers with
 * (NOT_FOUND, VERSION_CONFLICT …), and its message. GraphQL's own refusals of a query (bad
 * syntax, an unknown field, too deep) are left as they are. Never a stack trace.
 */
export function formatErrors(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  context: MercuriusContext,
) {
  const errors = execution.errors.map((error) => {
    const failure = error.originalError as FastifyError | undefined
    if (!failure || 'errors' in failure) return error // GraphQL's own (mercurius wraps them)
    const known = toHttpError(failure) ?? unexpected(failure, context.reply)
    const { nodes, path } = error
    return new GraphQLError(known.message, {
      nodes,
      path,
      originalError: known,
      extensions: { code: known.code },
    })
  })
  // 200 when the query ran (some fields may have worked); a refused one keeps its 4xx (401 …).
  return mercurius.defaultErrorFormatter({ ...execution, errors }, context)
}

/** A bug: logged in full, answered without a word about our insides, as error-handler.ts does. */
function unexpected(error: Error, { log, request }: FastifyReply) {
  log.error({ err: error }, 'graphql request failed')
  const message = `Something went wrong on our side. The server log has the details (request id ${request.id}).`
  return new HttpError(500, 'INTERNAL_ERROR', message)
}
