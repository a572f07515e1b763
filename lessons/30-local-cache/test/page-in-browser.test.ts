import { fileURLToPath } from 'node:url'
import { testDatabase } from '@kitchen/db/testing'
import { findBrowser, listenOnFreePort } from '@kitchen/testing'
import { type Browser, chromium, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { password, signIn, testAppOptions } from './helpers.js'

// The page in a real browser (Chromium, driven by playwright-core), talking to the app on a
// free port. One browser for the whole file; each test gets an app and a tab of its own.
// Without a browser, every test here says it was skipped and how to install one.
const found = findBrowser({ playwright: chromium })
const skip = 'reason' in found ? found.reason : false

const screenshot = fileURLToPath(new URL('../.tap/screenshots/front-end.png', import.meta.url))
const MINUTE = 60_000

let browser: Browser
let databaseUrl: string

if (!('reason' in found)) {
  t.before(async () => {
    databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
    browser = await chromium.launch({ executablePath: found.executablePath, args: found.args })
  })
  t.teardown(() => browser?.close())
}

/**
 * The app on a free port, and a new tab with no cookies showing its page (signed out). Each
 * test has an app of its own, so `clock.ahead` moves only that app's clock (to expire a token).
 * `calls` lists the API requests the page makes, as "POST /todos 201"; `problems` any script
 * error, or anything the Content-Security-Policy blocked.
 */
async function openPage(t: Test) {
  const clock = { ahead: 0 }
  const app = buildApp({ ...testAppOptions, databaseUrl, now: () => Date.now() + clock.ahead })
  const url = await listenOnFreePort(t, app)
  const context = await browser.newContext({ baseURL: url, viewport: { width: 760, height: 480 } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const calls: string[] = []
  page.on('response', (res) => {
    const { pathname } = new URL(res.url())
    if (!/^\/$|\.(html|css|js)$/.test(pathname))
      calls.push(`${res.request().method()} ${pathname} ${res.status()}`)
  })
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text())
  })
  await page.goto('/')
  await page.getByRole('heading', { name: 'Log in' }).waitFor()
  return { page, context, calls, problems, app, url, clock }
}

let people = 0
/** Sign up a new user (straight through the API), then log in through the page's form. */
async function logIn(page: Page) {
  const email = `cook${++people}@example.com`
  await page.request.post('/auth/signup', { data: { email, password } })
  const login = page.locator('#login')
  await login.getByLabel('Email').fill(email)
  await login.getByLabel('Password').fill(password)
  await login.getByRole('button', { name: 'Log in' }).click()
  await page.getByText(`Signed in as ${email}`).waitFor()
  return email
}

/** Type a to-do into the form and add it; wait until it is in the list. */
async function addTodo(page: Page, title: string) {
  await page.getByLabel('New to-do').fill(title)
  await page.getByRole('button', { name: 'Add' }).click()
  await page.locator('#todos li', { hasText: title }).waitFor()
}

t.test('a visitor signs up, logs in, adds, ticks and deletes to-dos', { skip }, async (t) => {
  const { page, context, problems, app } = await openPage(t)
  const signup = page.locator('#signup')
  await signup.getByLabel('Email').fill('ann@example.com')
  await signup.getByLabel('Password').fill(password)
  await signup.getByRole('button', { name: 'Sign up' }).click()
  await page.getByText('Welcome, ann@example.com: now log in.').waitFor()
  t.equal(await page.locator('#login-email').inputValue(), 'ann@example.com', 'email filled in')

  await page.locator('#login-password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByText('Signed in as ann@example.com').waitFor()
  t.ok(await page.getByText('Nothing to do.').isVisible(), 'an empty list says so')
  t.notOk(await page.locator('#signed-out').isVisible(), 'the forms are gone')

  for (const title of ['Buy milk', 'Bake bread', 'Wash the pans', 'Sharpen the knives']) {
    await addTodo(page, title)
  }
  await page.getByRole('checkbox', { name: 'Buy milk' }).check()
  await page.locator('#todos li.done', { hasText: 'Buy milk' }).waitFor()
  const knives = page.locator('#todos li', { hasText: 'Sharpen the knives' })
  await knives.getByRole('button', { name: 'Delete' }).click()
  await knives.waitFor({ state: 'detached' })
  t.same(await page.locator('#todos li').allInnerTexts(), [
    'Buy milk\nDelete',
    'Bake bread\nDelete',
    'Wash the pans\nDelete',
  ])
  await page.screenshot({ path: screenshot, fullPage: true })

  // The API agrees: what the page shows is what is stored.
  const token = await signIn(app, 'ann@example.com')
  const stored = await app.inject({ url: '/todos', headers: { authorization: `Bearer ${token}` } })
  t.match(stored.json(), [
    { title: 'Buy milk', done: true },
    { title: 'Bake bread', done: false },
    { title: 'Wash the pans', done: false },
  ])
  t.equal(stored.json().length, 3)

  // The access token stayed in memory: nothing in storage, and no cookie a script can read.
  const state = await context.storageState()
  t.same(state.origins, [], 'nothing in localStorage')
  t.match(state.cookies, [{ name: 'refresh_token', httpOnly: true, path: '/auth' }])
  t.equal(await page.evaluate('document.cookie'), '')
  t.same(problems, [], 'no script errors, nothing blocked by the Content-Security-Policy')
})

t.test('a validation error from the API appears beside the field it names', { skip }, async (t) => {
  const { page } = await openPage(t)
  const signup = page.locator('#signup')
  await signup.getByLabel('Email').fill('bob@example.com')
  await signup.getByLabel('Password').fill('short')
  await signup.getByRole('button', { name: 'Sign up' }).click()
  // The API said "body/password must NOT have fewer than 12 characters" (400 VALIDATION_FAILED).
  const beside = page.locator('#signup-password + .field-error')
  await beside.waitFor()
  t.equal(await beside.textContent(), 'password must NOT have fewer than 12 characters')
  t.equal(await page.locator('#signup-email + .field-error').textContent(), '')
  t.notOk(await signup.locator('.form-error').isVisible(), 'nothing at the bottom of the form')

  // Fixed, the error goes: the next answer is a 201.
  await signup.getByLabel('Password').fill(password)
  await signup.getByRole('button', { name: 'Sign up' }).click()
  await page.getByText('Welcome, bob@example.com: now log in.').waitFor()
  t.notOk(await beside.isVisible())
})

t.test('a reload stays signed in, through the refresh cookie', { skip }, async (t) => {
  const { page, calls, url } = await openPage(t)
  const email = await logIn(page)
  await addTodo(page, 'Buy milk')
  calls.length = 0
  const refresh = page.waitForRequest(/\/auth\/refresh$/)
  await page.reload()
  await page.getByText(`Signed in as ${email}`).waitFor()
  await page.locator('#todos li', { hasText: 'Buy milk' }).waitFor()
  t.same(calls, ['POST /auth/refresh 200', 'GET /me 200', 'GET /todos 200'])
  // Lesson 21 refuses a refresh whose Origin is another site's: the page's names its own.
  t.equal((await (await refresh).allHeaders()).origin, url)
})

t.test(
  'an expired access token is refreshed once, and the request sent again',
  { skip },
  async (t) => {
    const { page, calls, clock } = await openPage(t)
    await logIn(page)
    clock.ahead = 16 * MINUTE // access tokens last 15 minutes
    calls.length = 0
    await addTodo(page, 'Buy milk')
    t.same(calls, ['POST /todos 401', 'POST /auth/refresh 200', 'POST /todos 201'])
  },
)

t.test(
  'when the refresh fails too, the page shows the log-in form and why',
  { skip },
  async (t) => {
    const { page, context, calls, clock } = await openPage(t)
    await logIn(page)
    await context.clearCookies() // the refresh cookie is gone, as after a log-out elsewhere
    clock.ahead = 16 * MINUTE
    calls.length = 0
    await page.getByLabel('New to-do').fill('Buy milk')
    await page.getByRole('button', { name: 'Add' }).click()
    await page.getByText('The refresh token is not valid: log in.').waitFor()
    t.ok(await page.getByRole('heading', { name: 'Log in' }).isVisible())
    t.notOk(await page.locator('#signed-in').isVisible())
    t.same(calls, ['POST /todos 401', 'POST /auth/refresh 401'], 'one refresh, no retry')
  },
)

t.test('after logging out, a reload shows the log-in form', { skip }, async (t) => {
  const { page, calls } = await openPage(t)
  await logIn(page)
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.getByRole('heading', { name: 'Log in' }).waitFor()
  calls.length = 0
  await page.reload()
  await page.getByRole('heading', { name: 'Log in' }).waitFor()
  t.notOk(await page.locator('#signed-in').isVisible())
  t.same(calls, ['POST /auth/refresh 401'], 'the cookie is gone: the refresh fails')
})
