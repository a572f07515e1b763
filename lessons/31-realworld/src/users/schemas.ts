import { type Static, Type } from 'typebox'

/**
 * The spec wraps every body in the name of what it holds: `{ "user": { … } }`. Its schemas
 * list the fields they read and allow others (a front end may send more), so ours do too.
 */

/** Not blank: at least one character that is not a space. */
const Username = Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' })
const Email = Type.String({ format: 'email', maxLength: 254 })
/** 8 is the spec's own example ("jakejake"); lesson 14 asked for 12. */
const Password = Type.String({ minLength: 8, maxLength: 128 })
/** Text or null (bio, image): one JSON Schema type list, so one message when it is neither. */
export const TextOrNull = Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 2000 })

export const NewUserSchema = Type.Object({
  user: Type.Object({ username: Username, email: Email, password: Password }),
})

/** Log-in checks no rules beyond the limits: old accounts may predate today's rules. */
export const LoginSchema = Type.Object({
  user: Type.Object({
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  }),
})

/** Any of the fields, at least one (the spec: "at least one field is required"). */
export const UpdateUserSchema = Type.Object({
  user: Type.Object(
    {
      username: Type.Optional(Username),
      email: Type.Optional(Email),
      password: Type.Optional(Password),
      bio: Type.Optional(TextOrNull),
      image: Type.Optional(TextOrNull),
    },
    { minProperties: 1 },
  ),
})

/** The spec's User: the account, and a token to send back as "Authorization: Token …". */
export const UserResponseSchema = Type.Object({
  user: Type.Object({
    email: Type.String(),
    token: Type.String(),
    username: Type.String(),
    bio: TextOrNull,
    image: TextOrNull,
  }),
})

export const registerUser = { body: NewUserSchema, response: { 201: UserResponseSchema } }
export const login = { body: LoginSchema, response: { 200: UserResponseSchema } }
export const getCurrentUser = { response: { 200: UserResponseSchema } }
export const updateUser = { body: UpdateUserSchema, response: { 200: UserResponseSchema } }

export type UpdateUser = Static<typeof UpdateUserSchema>['user']

/** A user as the app knows them: never with the password hash. */
export interface User {
  id: number
  username: string
  email: string
  bio: string | null
  image: string | null
}
