import { type Static, Type } from 'typebox'

/** What the API shows of a user: no password hash, so none can ever be sent. */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})

export const SignupSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 12, maxLength: 128 }),
  },
  { additionalProperties: false },
)

export type User = Static<typeof UserSchema>
