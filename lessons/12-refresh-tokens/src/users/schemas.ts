import { type Static, Type } from 'typebox'

/** What the API shows of a user. The password hash is not in it, so it can never be sent. */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})

/**
 * Sign-up. 254 characters is the longest email address that works everywhere. Passwords of
 * 12 or more characters resist guessing far better than short "complex" ones; 128 is plenty,
 * and stops someone from sending a megabyte to hash.
 */
export const SignupSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 12, maxLength: 128 }),
  },
  { additionalProperties: false },
)

/**
 * Log-in. No length rules beyond the limits: an account made under older, looser rules
 * must still be able to log in, and a wrong password gets the same 401 whatever its length.
 */
export const LoginSchema = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
)

/** The answer to a good log-in: the token, how to send it, and how many seconds it lasts. */
export const TokenSchema = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
})

export type User = Static<typeof UserSchema>
export type Signup = Static<typeof SignupSchema>
