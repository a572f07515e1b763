import { readFileSync } from 'node:fs'
import t from 'tap'
import { anonymousAppForTest } from './helpers.js'

const file = (name: string) => readFileSync(new URL(`../public/${name}`, import.meta.url), 'utf8')

/** Helmet's default Content-Security-Policy: scripts and styles from this origin only. */
const csp = /default-src 'self';.*script-src 'self';.*script-src-attr 'none'/

t.test('GET / answers the page, index.html, with the security headers', async (t) => {
  const app = await anonymousAppForTest(t)
  const res = await app.inject({ method: 'GET', url: '/' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.body, file('index.html'))
  t.match(res.headers['content-security-policy'], csp)
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN')
})

t.test('the page’s script and style sheet are sent as they are, with the headers', async (t) => {
  const app = await anonymousAppForTest(t)
  const types = {
    'app.js': 'application/javascript; charset=utf-8',
    'style.css': 'text/css; charset=utf-8',
  }
  for (const [name, type] of Object.entries(types)) {
    const res = await app.inject({ method: 'GET', url: `/${name}` })
    t.equal(res.statusCode, 200, name)
    t.equal(res.headers['content-type'], type)
    t.equal(res.body, file(name), 'no build step: the file itself')
    t.match(res.headers['content-security-policy'], csp)
  }
})

t.test('a file that is not there answers 404 in the one error shape', async (t) => {
  const app = await anonymousAppForTest(t)
  for (const url of ['/nothing.js', '/public/app.js', '/src/app.ts', '/%2e%2e/package.json']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.match(res.json(), { statusCode: 404, code: 'ROUTE_NOT_FOUND', error: 'Not Found' })
    t.match(res.headers['content-security-policy'], csp)
  }
})

t.test('the page has no inline script, style or event handler, so the CSP allows it', async (t) => {
  const html = file('index.html')
  t.notMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'every script comes from a file')
  t.notMatch(html, /<style|\sstyle=/, 'every style comes from style.css')
  t.notMatch(html, /\son[a-z]+=/, 'no onclick= and the like')
  t.match(html, '<script type="module" src="/app.js"></script>')
})
