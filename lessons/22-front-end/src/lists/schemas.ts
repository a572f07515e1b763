import { type Static, Type } from 'typebox'

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
export const createList = { body: CreateListSchema, response: { 201: ListSchema } }
export const deleteList = { params: ListParamsSchema }

export type List = Static<typeof ListSchema>
