import t from 'tap'
import { type App, appForTest, asUser, postArticle, problem, register } from './helpers.js'

// Favourites: POST and DELETE /api/articles/:slug/favorite, and the count on each article.

/** The article's favoritesCount as a visitor sees it. */
async function countOf(app: App, slug: string): Promise<number> {
  return (await app.inject({ method: 'GET', url: `/api/articles/${slug}` })).json().article
    .favoritesCount
}

t.test('favouriting answers the article with favorited true and one more favourite', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake)
  const res = await ann.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })
  t.equal(res.statusCode, 200)
  t.match(res.json().article, { slug, favorited: true, favoritesCount: 1, body: String })
  t.equal(await countOf(app, slug), 1)
})

t.test('favouriting twice counts once', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  await jake.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })
  const again = await jake.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })
  t.equal(again.statusCode, 200)
  t.match(again.json().article, { favorited: true, favoritesCount: 1 })
})

t.test(
  'unfavouriting answers favorited false and one favourite less; again, no change',
  async (t) => {
    const app = await appForTest(t)
    const jake = await asUser(app, 'jake')
    const ann = await asUser(app, 'ann')
    const { slug } = await postArticle(jake)
    await jake.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })
    await ann.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })
    const res = await ann.inject({ method: 'DELETE', url: `/api/articles/${slug}/favorite` })
    t.equal(res.statusCode, 200)
    t.match(res.json().article, { favorited: false, favoritesCount: 1 })
    const again = await ann.inject({ method: 'DELETE', url: `/api/articles/${slug}/favorite` })
    t.match(again.json().article, { favorited: false, favoritesCount: 1 })
  },
)

t.test('twenty users favouriting at the same moment count twenty: no lost update', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  const fans = await Promise.all(Array.from({ length: 20 }, (_, n) => asUser(app, `fan${n}`)))
  const answers = await Promise.all(
    fans.map((fan) => fan.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })),
  )
  t.same(new Set(answers.map((res) => res.statusCode)), new Set([200]))
  t.equal(await countOf(app, slug), 20)
  // And all of them taking it back at once: zero, not below, not above.
  await Promise.all(
    fans.map((fan) => fan.inject({ method: 'DELETE', url: `/api/articles/${slug}/favorite` })),
  )
  t.equal(await countOf(app, slug), 0)
})

t.test('one user favouriting five times at the same moment counts once', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  const answers = await Promise.all(
    Array.from({ length: 5 }, () =>
      jake.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` }),
    ),
  )
  t.same(
    answers.map((res) => res.statusCode),
    [200, 200, 200, 200, 200],
  )
  t.equal(await countOf(app, slug), 1)
})

t.test('the count agrees with ?favorited= lists', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake)
  await ann.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })
  const res = await app.inject({ method: 'GET', url: '/api/articles?favorited=ann' })
  t.match(res.json(), { articles: [{ slug, favoritesCount: 1 }], articlesCount: 1 })
})

t.test('favouriting an unknown article answers 404: article not found', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  for (const method of ['POST', 'DELETE'] as const) {
    const res = await jake.inject({ method, url: '/api/articles/nope/favorite' })
    t.equal(res.statusCode, 404, method)
    t.same(res.json(), problem('article', 'not found'))
  }
})

t.test('favouriting without a token answers 401, even for an unknown article', async (t) => {
  const app = await appForTest(t)
  await register(app, 'jake')
  for (const method of ['POST', 'DELETE'] as const) {
    const res = await app.inject({ method, url: '/api/articles/nope/favorite' })
    t.equal(res.statusCode, 401, method)
    t.same(res.json(), problem('token', 'is missing'))
  }
})

t.test(
  'Content-Type: application/json with an empty body (as the official suite sends) is fine',
  async (t) => {
    const app = await appForTest(t)
    const jake = await asUser(app, 'jake')
    const { slug } = await postArticle(jake)
    const headers = { 'content-type': 'application/json' }
    for (const method of ['POST', 'DELETE'] as const) {
      const res = await jake.inject({
        method,
        url: `/api/articles/${slug}/favorite`,
        headers,
        body: '',
      })
      t.equal(res.statusCode, 200, method)
    }
  },
)
