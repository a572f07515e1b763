import t from 'tap'
import { appForTest, asUser, postArticle, problem } from './helpers.js'

// The feed: GET /api/articles/feed, the articles of the authors the reader follows.

t.test('the feed without a token answers 401', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/api/articles/feed' })
  t.equal(res.statusCode, 401)
  t.same(res.json(), problem('token', 'is missing'))
})

t.test('following nobody, the feed is empty with articlesCount 0', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  await postArticle(jake)
  const res = await jake.inject({ method: 'GET', url: '/api/articles/feed' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { articles: [], articlesCount: 0 })
})

t.test('the feed has the followed authors’ articles only, newest first', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const bob = await asUser(app, 'bob')
  const reader = await asUser(app, 'reader')
  await postArticle(jake, { title: 'Jake 1' })
  await postArticle(ann, { title: 'Ann 1' })
  await postArticle(bob, { title: 'Bob 1' })
  await postArticle(jake, { title: 'Jake 2' })
  await postArticle(reader, { title: 'My own' })
  await reader.inject({ method: 'POST', url: '/api/profiles/jake/follow' })
  await reader.inject({ method: 'POST', url: '/api/profiles/ann/follow' })
  const res = await reader.inject({ method: 'GET', url: '/api/articles/feed' })
  const { articles, articlesCount } = res.json()
  t.same(
    articles.map((article: { title: string }) => article.title),
    ['Jake 2', 'Ann 1', 'Jake 1'],
  )
  t.equal(articlesCount, 3)
  t.match(articles[0], { author: { username: 'jake', following: true } })
  t.notOk('body' in articles[0], 'no body in lists')
})

t.test('the feed pages with limit and offset; articlesCount stays the total', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const reader = await asUser(app, 'reader')
  for (let n = 1; n <= 3; n++) await postArticle(jake, { title: `Jake ${n}` })
  await reader.inject({ method: 'POST', url: '/api/profiles/jake/follow' })
  const res = await reader.inject({ method: 'GET', url: '/api/articles/feed?limit=1&offset=1' })
  t.match(res.json(), { articles: [{ title: 'Jake 2' }], articlesCount: 3 })
  t.equal(res.json().articles.length, 1)
})

t.test('after unfollowing, the author’s articles leave the feed', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const reader = await asUser(app, 'reader')
  await postArticle(jake)
  await reader.inject({ method: 'POST', url: '/api/profiles/jake/follow' })
  await reader.inject({ method: 'DELETE', url: '/api/profiles/jake/follow' })
  const res = await reader.inject({ method: 'GET', url: '/api/articles/feed' })
  t.same(res.json(), { articles: [], articlesCount: 0 })
})

t.test('a feed limit that is not a whole number in range answers 422', async (t) => {
  const app = await appForTest(t)
  const reader = await asUser(app, 'reader')
  const res = await reader.inject({ method: 'GET', url: '/api/articles/feed?limit=0' })
  t.equal(res.statusCode, 422)
  t.same(res.json(), problem('limit', 'must be 1 or more'))
})
