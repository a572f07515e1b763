import { testApp } from '@kitchen/core/testing'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { asUser, databaseForTest, testJwtSecret } from './helpers.js'

t.test('to-dos survive a restart of the app', async (t) => {
  const databaseUrl = await databaseForTest(t)

  const first = buildApp({ databaseUrl, jwtSecret: testJwtSecret })
  await first.ready()
  const cook = await asUser(first)
  const created = await cook.inject({
    method: 'POST',
    url: '/todos',
    payload: { title: 'Keep me' },
  })
  await cook.inject({
    method: 'PATCH',
    url: `/todos/${created.json().id}`,
    payload: { done: true },
  })
  await first.close()

  // The same user logs in to the new app.
  const second = await asUser(await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret })))
  const res = await second.inject({ method: 'GET', url: '/todos' })
  t.match(res.json(), [{ title: 'Keep me', done: true }])
})

t.test('two apps on one database see each other’s changes', async (t) => {
  const databaseUrl = await databaseForTest(t)
  const a = await asUser(await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret })))
  const b = await asUser(await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret })))
  const created = await a.inject({ method: 'POST', url: '/todos', payload: { title: 'Shared' } })
  const seen = await b.inject({ method: 'GET', url: `/todos/${created.json().id}` })
  t.equal(seen.statusCode, 200)
  t.equal(seen.json().title, 'Shared')
})

t.test('created dates come back as ISO 8601 text', async (t) => {
  const databaseUrl = await databaseForTest(t)
  const app = await asUser(await testApp(t, buildApp({ databaseUrl, jwtSecret: testJwtSecret })))
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title: 'When?' } })
  t.match(res.json().createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
})
