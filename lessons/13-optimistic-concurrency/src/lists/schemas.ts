import { type Static, Type } from 'typebox'

export const ListSchema = Type.Object({ id: Type.Integer(), name: Type.String() })

export const CreateListSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) },
  { additionalProperties: false },
)

export const ListParamsSchema = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
})

export type List = Static<typeof ListSchema>
