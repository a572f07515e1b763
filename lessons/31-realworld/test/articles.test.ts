import t from 'tap'
import { slugify } from '../src/articles/slug.js'
import { appForTest, asUser, postArticle, problem, type User } from './helpers.js'

// Articles: GET and POST /api/articles, GET, PUT and DELETE /api/articles/:slug.

const dragon = {
  title: 'How to train your dragon',
  description: 'Ever wonder how?',
  body: 'You have to believe',
  tagList: ['reactjs', 'angularjs', 'dragons'],
}

/** The articles of a list, by title (newest first), and the count the answer gave. */
async function titles(reader: Pick<User, 'inject'>, url: string) {
  const res = await reader.inject({ method: 'GET', url })
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.body}`)
  const { articles, articlesCount } = res.json()
  return { titles: articles.map((article: { title: string }) => article.title), articlesCount }
}

t.test(
  'creating an article answers 201 with it, its author, and a slug from its title',
  async (t) => {
    const app = await appForTest(t)
    const jake = await asUser(app, 'jake')
    const res = await jake.inject({
      method: 'POST',
      url: '/api/articles',
      payload: { article: dragon },
    })
    t.equal(res.statusCode, 201)
    const { article } = res.json()
    t.match(article, {
      slug: 'how-to-train-your-dragon',
      title: dragon.title,
      description: dragon.description,
      body: dragon.body,
      favorited: false,
      favoritesCount: 0,
      author: { username: 'jake', bio: null, image: null, following: false },
    })
    t.match(article.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    t.equal(article.updatedAt, article.createdAt)
  },
)

t.test('the tags come back in alphabetical order, each once', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const article = await postArticle(jake, { tagList: ['training', 'dragons', 'training'] })
  const res = await app.inject({ method: 'GET', url: `/api/articles/${article.slug}` })
  t.same(res.json().article.tagList, ['dragons', 'training'])
})

t.test('a second article with the same title gets a slug of its own', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const first = await postArticle(jake, { body: 'first' })
  const second = await postArticle(jake, { body: 'second' })
  t.equal(first.slug, 'how-to-train-your-dragon')
  t.match(second.slug, /^how-to-train-your-dragon-[0-9a-f]{6}$/)
  for (const [article, body] of [
    [first, 'first'],
    [second, 'second'],
  ] as const) {
    const res = await app.inject({ method: 'GET', url: `/api/articles/${article.slug}` })
    t.equal(res.json().article.body, body, article.slug)
  }
})

t.test('an article titled "Feed" never gets the slug "feed", which is the feed’s', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const article = await postArticle(jake, { title: 'Feed' })
  t.match(article.slug, /^feed-[0-9a-f]{6}$/)
})

t.test('a slug keeps letters and digits, joined by dashes, and drops accents', async (t) => {
  t.equal(slugify('How to Train Your Dragon!'), 'how-to-train-your-dragon')
  t.equal(slugify('  Crème brûlée: 3 ways  '), 'creme-brulee-3-ways')
  t.equal(slugify('Привет, мир'), 'привет-мир')
  t.equal(slugify('🐉🐉'), 'article', 'no letters at all')
  t.ok(slugify('x'.repeat(500)).length <= 80, 'at most 80 characters')
})

t.test('creating without title, description and body answers 422 naming each', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const res = await jake.inject({ method: 'POST', url: '/api/articles', payload: { article: {} } })
  t.equal(res.statusCode, 422)
  t.same(res.json(), {
    errors: {
      title: ["can't be blank"],
      description: ["can't be blank"],
      body: ["can't be blank"],
    },
  })
})

t.test('a blank title, or a tagList that is not a list of text, answers 422', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const cases = [
    [{ title: '  ' }, problem('title', "can't be blank")],
    [{ tagList: 'dragons' }, problem('tagList', 'must be a list')],
    [{ tagList: ['dragons', 7] }, problem('tagList', 'must be text')],
    [{ tagList: [''] }, problem('tagList', "can't be blank")],
    [{ body: 'a\u0000b' }, problem('body', 'must not contain the NUL character')],
  ] as const
  for (const [change, expected] of cases) {
    const article = { ...dragon, ...change }
    const res = await jake.inject({ method: 'POST', url: '/api/articles', payload: { article } })
    t.equal(res.statusCode, 422, JSON.stringify(change))
    t.same(res.json(), expected)
  }
})

t.test('creating an article without a token answers 401', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/articles',
    payload: { article: dragon },
  })
  t.equal(res.statusCode, 401)
  t.same(res.json(), problem('token', 'is missing'))
})

t.test('GET /api/articles/:slug answers the whole article to anybody', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const article = await postArticle(jake, dragon)
  const res = await app.inject({ method: 'GET', url: `/api/articles/${article.slug}` })
  t.equal(res.statusCode, 200)
  t.match(res.json().article, { ...dragon, tagList: ['angularjs', 'dragons', 'reactjs'] })
})

t.test('an unknown slug answers 404: article not found', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/api/articles/no-such-article' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), problem('article', 'not found'))
})

t.test('updating changes the fields sent, keeps the others, and moves updatedAt', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake, dragon)
  const before = (await app.inject({ method: 'GET', url: `/api/articles/${slug}` })).json().article
  const res = await jake.inject({
    method: 'PUT',
    url: `/api/articles/${slug}`,
    payload: { article: { body: 'With two hands' } },
  })
  t.equal(res.statusCode, 200)
  const { article } = res.json()
  t.match(article, {
    slug,
    title: dragon.title,
    description: dragon.description,
    body: 'With two hands',
  })
  t.same(article.tagList, before.tagList, 'tags kept')
  t.equal(article.createdAt, before.createdAt)
  t.ok(article.updatedAt > before.updatedAt, 'updatedAt moved on')
})

t.test('a new title gives a new slug, and the old slug answers 404', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake, dragon)
  const res = await jake.inject({
    method: 'PUT',
    url: `/api/articles/${slug}`,
    payload: { article: { title: 'Did you train your dragon?' } },
  })
  t.equal(res.json().article.slug, 'did-you-train-your-dragon')
  const old = await app.inject({ method: 'GET', url: `/api/articles/${slug}` })
  t.equal(old.statusCode, 404)
  const same = await jake.inject({
    method: 'PUT',
    url: '/api/articles/did-you-train-your-dragon',
    payload: { article: { title: 'Did you train your dragon??' } },
  })
  t.equal(same.json().article.slug, 'did-you-train-your-dragon', 'its own slug is not taken')
})

t.test('updating tagList replaces the tags', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake, dragon)
  const res = await jake.inject({
    method: 'PUT',
    url: `/api/articles/${slug}`,
    payload: { article: { tagList: ['training'] } },
  })
  t.same(res.json().article.tagList, ['training'])
})

t.test('updating with a blank title answers 422', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake, dragon)
  const res = await jake.inject({
    method: 'PUT',
    url: `/api/articles/${slug}`,
    payload: { article: { title: '' } },
  })
  t.equal(res.statusCode, 422)
  t.same(res.json(), problem('title', "can't be blank"))
})

t.test('updating someone else’s article answers 403 and changes nothing', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake, dragon)
  const res = await ann.inject({
    method: 'PUT',
    url: `/api/articles/${slug}`,
    payload: { article: { body: 'Mine now' } },
  })
  t.equal(res.statusCode, 403)
  t.same(res.json(), problem('article', 'forbidden'))
  const read = await app.inject({ method: 'GET', url: `/api/articles/${slug}` })
  t.equal(read.json().article.body, dragon.body)
})

t.test('updating without a token answers 401, even for a slug that does not exist', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake, dragon)
  for (const url of [`/api/articles/${slug}`, '/api/articles/nope']) {
    const res = await app.inject({ method: 'PUT', url, payload: { article: { body: 'x' } } })
    t.equal(res.statusCode, 401, url)
  }
})

t.test('updating or deleting an unknown slug answers 404, whoever asks', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const put = await jake.inject({
    method: 'PUT',
    url: '/api/articles/nope',
    payload: { article: { body: 'x' } },
  })
  t.equal(put.statusCode, 404)
  t.same(put.json(), problem('article', 'not found'))
  const del = await jake.inject({ method: 'DELETE', url: '/api/articles/nope' })
  t.equal(del.statusCode, 404)
})

t.test('deleting answers 204, and the article is gone with its comments', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake, dragon)
  await jake.inject({
    method: 'POST',
    url: `/api/articles/${slug}/comments`,
    payload: { comment: { body: 'Nice' } },
  })
  const res = await jake.inject({ method: 'DELETE', url: `/api/articles/${slug}` })
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  const read = await app.inject({ method: 'GET', url: `/api/articles/${slug}` })
  t.equal(read.statusCode, 404)
  const comments = await app.inject({ method: 'GET', url: `/api/articles/${slug}/comments` })
  t.equal(comments.statusCode, 404)
})

t.test('deleting someone else’s article answers 403; without a token, 401', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake, dragon)
  const forbidden = await ann.inject({ method: 'DELETE', url: `/api/articles/${slug}` })
  t.equal(forbidden.statusCode, 403)
  t.same(forbidden.json(), problem('article', 'forbidden'))
  const anonymous = await app.inject({ method: 'DELETE', url: `/api/articles/${slug}` })
  t.equal(anonymous.statusCode, 401)
  const read = await app.inject({ method: 'GET', url: `/api/articles/${slug}` })
  t.equal(read.statusCode, 200, 'still there')
})

t.test('the list is newest first, without bodies, with articlesCount', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  for (const title of ['One', 'Two', 'Three']) await postArticle(jake, { title })
  const res = await app.inject({ method: 'GET', url: '/api/articles' })
  t.equal(res.statusCode, 200)
  const { articles, articlesCount } = res.json()
  t.same(
    articles.map((article: { title: string }) => article.title),
    ['Three', 'Two', 'One'],
  )
  t.equal(articlesCount, 3)
  t.notOk('body' in articles[0], 'no body in lists')
  t.match(articles[0], { slug: 'three', tagList: [], author: { username: 'jake' } })
})

t.test('limit and offset page through the list; articlesCount stays the total', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  for (let n = 1; n <= 5; n++) await postArticle(jake, { title: `Article ${n}` })
  t.same(await titles(app, '/api/articles?limit=2'), {
    titles: ['Article 5', 'Article 4'],
    articlesCount: 5,
  })
  t.same(await titles(app, '/api/articles?limit=2&offset=2'), {
    titles: ['Article 3', 'Article 2'],
    articlesCount: 5,
  })
  t.same(await titles(app, '/api/articles?limit=2&offset=4'), {
    titles: ['Article 1'],
    articlesCount: 5,
  })
  t.same(await titles(app, '/api/articles?offset=10'), { titles: [], articlesCount: 5 })
})

t.test('without a limit, a page has 20 articles', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  await Promise.all(
    Array.from({ length: 21 }, (_, n) => postArticle(jake, { title: `Article ${n}` })),
  )
  const { titles: page, articlesCount } = await titles(app, '/api/articles')
  t.equal(page.length, 20)
  t.equal(articlesCount, 21)
})

t.test('a limit or offset that is not a whole number in range answers 422', async (t) => {
  const app = await appForTest(t)
  const cases = [
    ['limit=0', problem('limit', 'must be 1 or more')],
    ['limit=101', problem('limit', 'must be 100 or less')],
    ['limit=ten', problem('limit', 'must be a whole number')],
    ['offset=-1', problem('offset', 'must be 0 or more')],
  ] as const
  for (const [query, expected] of cases) {
    const res = await app.inject({ method: 'GET', url: `/api/articles?${query}` })
    t.equal(res.statusCode, 422, query)
    t.same(res.json(), expected)
  }
})

t.test('the list filters by tag, by author and by who favourited, alone or together', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  await postArticle(jake, { title: 'Jake on dragons', tagList: ['dragons'] })
  await postArticle(jake, { title: 'Jake on cats', tagList: ['cats'] })
  const annsDragons = await postArticle(ann, { title: 'Ann on dragons', tagList: ['dragons'] })
  await jake.inject({ method: 'POST', url: `/api/articles/${annsDragons.slug}/favorite` })
  const cases = [
    ['tag=dragons', ['Ann on dragons', 'Jake on dragons']],
    ['author=jake', ['Jake on cats', 'Jake on dragons']],
    ['favorited=jake', ['Ann on dragons']],
    ['tag=dragons&author=jake', ['Jake on dragons']],
    ['tag=cats&favorited=jake', []],
    ['author=nobody', []],
    ['tag=nothing', []],
  ] as const
  for (const [query, expected] of cases) {
    t.same(
      await titles(app, `/api/articles?${query}`),
      { titles: expected, articlesCount: expected.length },
      query,
    )
  }
})

t.test('a signed-in reader sees what they favourited and whom they follow', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake, dragon)
  await ann.inject({ method: 'POST', url: `/api/articles/${slug}/favorite` })
  await ann.inject({ method: 'POST', url: '/api/profiles/jake/follow' })
  const seen = { favorited: true, favoritesCount: 1, author: { following: true } }
  t.match((await ann.inject({ method: 'GET', url: '/api/articles' })).json().articles[0], seen)
  t.match((await ann.inject({ method: 'GET', url: `/api/articles/${slug}` })).json().article, seen)
  const unseen = { favorited: false, favoritesCount: 1, author: { following: false } }
  t.match((await app.inject({ method: 'GET', url: '/api/articles' })).json().articles[0], unseen)
  t.match(
    (await jake.inject({ method: 'GET', url: `/api/articles/${slug}` })).json().article,
    unseen,
  )
})
