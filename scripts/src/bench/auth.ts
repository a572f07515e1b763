import { withClient } from '@kitchen/db'
import type { SetupContext, SetupResult } from './setup.js'

/**
 * Signing up and logging in through a lesson's HTTP API (lesson 15 on), for the JWT row's
 * setup and for timing one log-in.
 */

/** The password of every user the bench signs up (the lessons want 12 characters or more). */
export const BENCH_PASSWORD = 'correct horse battery staple'

/** The user whose token the JWT row sends. */
export const BENCH_EMAIL = 'bench@example.com'

/** How many to-dos the JWT row's user must see: one full page of `?limit=20`. */
const PAGE = 20

async function send(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: response.status, body: parsed }
}

function unexpected(what: string, answer: { status: number; body: unknown }): Error {
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
  return new Error(`${what} answered ${answer.status}: ${body.slice(0, 200)}`)
}

/** POST /auth/signup; the new user's id. An email already taken (409) is an error here. */
export async function signUp(baseUrl: string, email: string): Promise<number> {
  const answer = await send(baseUrl, 'POST', '/auth/signup', { email, password: BENCH_PASSWORD })
  const id = (answer.body as { id?: unknown } | undefined)?.id
  if (answer.status !== 201 || typeof id !== 'number') throw unexpected('POST /auth/signup', answer)
  return id
}

/** POST /auth/login; the access token. */
export async function logIn(baseUrl: string, email: string): Promise<string> {
  const answer = await send(baseUrl, 'POST', '/auth/login', { email, password: BENCH_PASSWORD })
  const token = (answer.body as { accessToken?: unknown } | undefined)?.accessToken
  if (answer.status !== 200 || typeof token !== 'string')
    throw unexpected('POST /auth/login', answer)
  return token
}

/**
 * The JWT row's setup: sign up one user and log in through the API, then make sure that user
 * sees a full page of to-dos. Up to lesson 17 every signed-in user sees the seeded to-dos;
 * where to-dos have an owner (lesson 18 on, a `user_id` column), the seeded ones become this
 * user's by SQL, and the API makes more if a page is still not full. A user signed up by an
 * earlier target of the same lesson is logged in again, and sees what it made.
 */
export async function logInForTodos(baseUrl: string, context: SetupContext): Promise<SetupResult> {
  // Several targets may run on one lesson, and so on one database: the first signs up.
  const answer = await send(baseUrl, 'POST', '/auth/signup', {
    email: BENCH_EMAIL,
    password: BENCH_PASSWORD,
  })
  if (answer.status !== 201 && answer.status !== 409) throw unexpected('POST /auth/signup', answer)
  const userId = (answer.body as { id?: unknown } | undefined)?.id
  const headers = { authorization: `Bearer ${await logIn(baseUrl, BENCH_EMAIL)}` }
  const visible = async () => {
    const answer = await send(baseUrl, 'GET', `/todos?limit=${PAGE}`, undefined, headers)
    if (answer.status !== 200 || !Array.isArray(answer.body)) {
      throw unexpected('GET /todos with the token', answer)
    }
    return answer.body.length
  }

  if ((await visible()) < PAGE && context.databaseUrl && typeof userId === 'number') {
    await withClient(context.databaseUrl, async (client) => {
      const { rows } = await client.query(
        `select 1 from information_schema.columns where table_name = 'todos' and column_name = 'user_id'`,
      )
      if (rows.length > 0) {
        await client.query('update todos set user_id = $1 where user_id is null', [userId])
        await client.query('vacuum analyze todos')
      }
    })
  }
  for (let count = await visible(); count < PAGE; count++) {
    const answer = await send(baseUrl, 'POST', '/todos', { title: `To-do ${count + 1}` }, headers)
    if (answer.status !== 201) throw unexpected('POST /todos with the token', answer)
  }
  const count = await visible()
  if (count < PAGE) throw new Error(`the signed-in user sees ${count} to-dos, not ${PAGE}`)
  return { headers }
}

/** The GraphQL row's query: the same 20 to-dos as GET /todos?limit=20 (same order, same limit). */
export const GRAPHQL_TODOS = '{ todos(limit: 20) { todos { id title done } } }'

/**
 * The GraphQL row's setup: log in as for the REST row (same user, same to-dos), then check
 * that POST /graphql answers those 20 to-dos. GraphQL reports its errors with a 200, so a
 * wrong query would otherwise be measured as a fast success.
 */
export async function logInForGraphql(
  baseUrl: string,
  context: SetupContext,
): Promise<SetupResult> {
  const { headers = {} } = await logInForTodos(baseUrl, context)
  const rest = await send(baseUrl, 'GET', `/todos?limit=${PAGE}`, undefined, headers)
  const graphql = await send(baseUrl, 'POST', '/graphql', { query: GRAPHQL_TODOS }, headers)
  const body = graphql.body as { data?: { todos?: { todos?: { id: number }[] } }; errors?: unknown }
  const ids = (list: { id: number }[] | undefined) => JSON.stringify(list?.map((todo) => todo.id))
  if (
    graphql.status !== 200 ||
    body.errors ||
    ids(body.data?.todos?.todos) !== ids(rest.body as { id: number }[])
  ) {
    throw unexpected('POST /graphql (not the same to-dos as GET /todos)', graphql)
  }
  return { headers }
}
