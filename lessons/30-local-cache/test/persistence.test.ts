import { testDatabase } from '@kitchen/db/testing'
import t from 'tap'
import { migrateToLatest } from '../src/db/migrate.js'
import { appForTest } from './helpers.js'

t.test('to-dos survive a restart of the app', async (t) => {
  const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
  const first = await appForTest(t, { databaseUrl })
  const created = await first.inject({
    method: 'POST',
    url: '/todos',
    payload: { title: 'Keep me' },
  })
  await first.inject({
    method: 'PATCH',
    url: `/todos/${created.json().id}`,
    payload: { done: true },
  })
  await first.close()

  const second = await appForTest(t, { databaseUrl })
  const res = await second.inject({ method: 'GET', url: '/todos' })
  t.match(res.json(), [{ title: 'Keep me', done: true }])
})

t.test('two apps on one database see each other’s changes', async (t) => {
  const databaseUrl = await testDatabase(t, { migrate: migrateToLatest })
  const a = await appForTest(t, { databaseUrl })
  const b = await appForTest(t, { databaseUrl })
  const created = await a.inject({ method: 'POST', url: '/todos', payload: { title: 'Shared' } })
  const seen = await b.inject({ method: 'GET', url: `/todos/${created.json().id}` })
  t.equal(seen.statusCode, 200)
  t.equal(seen.json().title, 'Shared')
})

t.test('created dates come back as ISO 8601 text', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'POST', url: '/todos', payload: { title: 'When?' } })
  t.match(res.json().createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
})
