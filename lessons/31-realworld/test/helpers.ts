import { cleanDatabase } from '@kitchen/db/testing'
import { listenOnFreePort, readyApp } from '@kitchen/testing'
import type { InjectOptions } from 'fastify'
import type { Test } from 'tap'
import { type AppOptions, buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'

export type App = ReturnType<typeof buildApp>

/**
 * scrypt's cost in the tests' apps: 2 ** 10 instead of 2 ** 15, so a registration takes a
 * millisecond or two, not a tenth of a second. (auth.test.ts checks the real default once.)
 */
export const testPasswordCost = 2 ** 10

/** The secret the tests' apps sign tokens with (any text of 32 characters or more). */
export const testJwtSecret = 'a-secret-for-the-tests-only-0123456789'

/** What every app of the tests is built with, besides its database. */
export const testAppOptions = { passwordCost: testPasswordCost, jwtSecret: testJwtSecret }

/**
 * A fresh app for one test, on an emptied database (this test process's, see cleanDatabase),
 * unless the test passes a `databaseUrl` of its own. The app is closed when the test ends.
 */
export async function appForTest(t: Test, options: Partial<AppOptions> = {}) {
  const databaseUrl = options.databaseUrl ?? (await cleanDatabase({ migrate: migrateToLatest }))
  return readyApp(t, buildApp({ ...testAppOptions, ...options, databaseUrl }))
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test, options: Partial<AppOptions> = {}) {
  const databaseUrl = options.databaseUrl ?? (await cleanDatabase({ migrate: migrateToLatest }))
  return listenOnFreePort(t, buildApp({ ...testAppOptions, ...options, databaseUrl }))
}

/** The password of the users the tests register. */
export const password = 'correct horse battery staple'

/** Register `username` (email `<username>@example.com`); returns the answer's user. */
export async function register(app: App, username: string) {
  const email = `${username.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@example.com`
  const res = await app.inject({
    method: 'POST',
    url: '/api/users',
    payload: { user: { username, email, password } },
  })
  if (res.statusCode !== 201) throw new Error(`registering ${username}: ${res.body}`)
  return res.json().user as { username: string; email: string; token: string }
}

/** The app as one registered user sees it: its `inject` sends `Authorization: Token <jwt>`. */
export async function asUser(app: App, username: string) {
  const { token, email } = await register(app, username)
  const authorization = `Token ${token}`
  return {
    username,
    email,
    token,
    inject: (request: InjectOptions) =>
      app.inject({ ...request, headers: { authorization, ...request.headers } }),
  }
}

export type User = Awaited<ReturnType<typeof asUser>>

/** An article's fields, as a test writes them: a valid article unless it says otherwise. */
export interface ArticleFields {
  title?: string
  description?: string
  body?: string
  tagList?: string[]
}

/** Post an article as `user` (a dragon article, unless `fields` say otherwise); returns it. */
export async function postArticle(user: User, fields: ArticleFields = {}) {
  const article = {
    title: 'How to train your dragon',
    description: 'Ever wonder how?',
    body: 'You have to believe',
    ...fields,
  }
  const res = await user.inject({ method: 'POST', url: '/api/articles', payload: { article } })
  if (res.statusCode !== 201) throw new Error(`posting an article: ${res.body}`)
  return res.json().article as { slug: string; title: string; favoritesCount: number }
}

/** The spec's error body about one field or thing: `{"errors":{"title":["can't be blank"]}}`. */
export function problem(field: string, message: string) {
  return { errors: { [field]: [message] } }
}
