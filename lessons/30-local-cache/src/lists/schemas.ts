import { type Static, Type } from 'typebox'
import { errorReply, noContent } from '../docs.js'

export const ListSchema = Type.Object({ id: Type.Integer(), name: Type.String() })

export const CreateListSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) },
  { additionalProperties: false },
)

export const ListParamsSchema = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
})

/** Each route's schema, as for the to-dos. */
export const listLists = { response: { 200: Type.Array(ListSchema) } }
export const createList = {
  body: CreateListSchema,
  response: { 201: ListSchema, 409: errorReply('A list has this name (ALREADY_EXISTS).') },
}
export const deleteList = {
  params: ListParamsSchema,
  response: { 204: noContent, 409: errorReply('The list still has to-dos (STILL_REFERENCED).') },
}

export type List = Static<typeof ListSchema>
