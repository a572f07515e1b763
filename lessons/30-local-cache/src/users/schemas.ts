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

/** Log-in checks no rules beyond the limits: old accounts may predate today's rules. */
export const LoginSchema = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
)

export const TokenSchema = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
})

export type User = Static<typeof UserSchema>
