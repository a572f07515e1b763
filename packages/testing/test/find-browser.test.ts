import { chmodSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import t, { type Test } from 'tap'
import { findBrowser } from '../src/index.js'

/** Folders of fake browsers: each file named here is an executable script that does nothing. */
function folders(t: Test, layout: Record<string, string[]>) {
  const dir = t.testdir(
    Object.fromEntries(
      Object.entries(layout).map(([folder, names]) => [
        folder,
        Object.fromEntries(names.map((name) => [name, '#!/bin/sh\n'])),
      ]),
    ),
  )
  for (const [folder, names] of Object.entries(layout)) {
    for (const name of names) chmodSync(join(dir, folder, name), 0o755)
  }
  return { dir, path: Object.keys(layout).map((folder) => join(dir, folder)) }
}

const nothing = { executablePath: () => '/nowhere/chrome' }

t.test(
  'findBrowser looks on the PATH for chromium first, then the other names',
  { skip: process.platform === 'win32' && 'the fake browsers are shell scripts' },
  async (t) => {
    const { dir, path } = folders(t, {
      a: ['google-chrome'],
      b: ['chromium-browser', 'chromium'],
    })
    const env = { PATH: path.join(delimiter) }
    t.same(findBrowser({ env, root: false, playwright: nothing }), {
      executablePath: join(dir, 'b', 'chromium'),
      args: [],
    })
    const chrome = { PATH: join(dir, 'a') }
    t.same(findBrowser({ env: chrome, root: true, playwright: nothing }), {
      executablePath: join(dir, 'a', 'google-chrome'),
      args: ['--no-sandbox'],
    })
  },
)

t.test(
  'findBrowser takes KITCHEN_BROWSER first, and says so when it names nothing',
  { skip: process.platform === 'win32' && 'the fake browsers are shell scripts' },
  async (t) => {
    const { dir, path } = folders(t, { bin: ['chromium', 'my-chrome'] })
    const mine = join(dir, 'bin', 'my-chrome')
    const env = { PATH: path.join(delimiter), KITCHEN_BROWSER: mine }
    t.same(findBrowser({ env, root: false }), { executablePath: mine, args: [] })
    t.same(findBrowser({ env: { ...env, KITCHEN_BROWSER: 'my-chrome' }, root: false }), {
      executablePath: mine,
      args: [],
    })
    const wrong = { ...env, KITCHEN_BROWSER: '/nowhere/chrome' }
    t.same(findBrowser({ env: wrong }), {
      reason:
        'KITCHEN_BROWSER is "/nowhere/chrome", which is not an executable: set it to the path of a Chromium or Chrome executable, or leave it out.',
    })
  },
)

t.test(
  'findBrowser falls back on Playwright’s own download, if it exists',
  { skip: process.platform === 'win32' && 'the fake browsers are shell scripts' },
  async (t) => {
    const { dir } = folders(t, { 'ms-playwright': ['chrome'] })
    const playwright = { executablePath: () => join(dir, 'ms-playwright', 'chrome') }
    t.same(findBrowser({ env: { PATH: '' }, root: false, playwright }), {
      executablePath: join(dir, 'ms-playwright', 'chrome'),
      args: [],
    })
  },
)

t.test('without a browser, findBrowser gives the reason and how to install one', async (t) => {
  const found = findBrowser({ env: { PATH: t.testdir({}) }, playwright: nothing })
  t.same(Object.keys(found), ['reason'])
  const { reason } = found as { reason: string }
  t.match(reason, /^No Chromium or Chrome was found/)
  t.match(reason, 'apt-get install chromium')
  t.match(reason, 'brew install --cask chromium')
  t.match(reason, 'npx playwright install chromium')
  t.match(reason, 'KITCHEN_BROWSER')
})
