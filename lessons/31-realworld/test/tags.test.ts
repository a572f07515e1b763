import t from 'tap'
import { appForTest, asUser, postArticle } from './helpers.js'

// Tags: GET /api/tags.

t.test('with no articles, the tag list is empty', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({ method: 'GET', url: '/api/tags' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { tags: [] })
})

t.test('the tags of every article, each once, the most used first', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  await postArticle(jake, { title: 'One', tagList: ['dragons', 'training'] })
  await postArticle(jake, { title: 'Two', tagList: ['dragons', 'angular'] })
  await postArticle(jake, { title: 'Three', tagList: ['dragons', 'training'] })
  const res = await app.inject({ method: 'GET', url: '/api/tags' })
  t.same(res.json(), { tags: ['dragons', 'training', 'angular'] })
})

t.test('a tag whose last article was deleted is no longer listed', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  await postArticle(jake, { title: 'Kept', tagList: ['kept'] })
  const gone = await postArticle(jake, { title: 'Gone', tagList: ['gone', 'kept'] })
  await jake.inject({ method: 'DELETE', url: `/api/articles/${gone.slug}` })
  const res = await app.inject({ method: 'GET', url: '/api/tags' })
  t.same(res.json(), { tags: ['kept'] })
})

t.test('ten articles bringing the same new tags at the same moment all succeed', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  // Each adds the tags it brings to `tags`; the same names, in another order each time.
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, n) =>
      jake.inject({
        method: 'POST',
        url: '/api/articles',
        payload: {
          article: {
            title: `Article ${n}`,
            description: 'd',
            body: 'b',
            tagList: n % 2 ? ['alpha', 'beta', 'gamma'] : ['gamma', 'beta', 'alpha'],
          },
        },
      }),
    ),
  )
  t.same(new Set(answers.map((res) => res.statusCode)), new Set([201]))
  const res = await app.inject({ method: 'GET', url: '/api/tags' })
  t.same(res.json(), { tags: ['alpha', 'beta', 'gamma'] })
})

t.test('a tag filter and the tag list agree', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  await postArticle(jake, { title: 'Dragons', tagList: ['dragons'] })
  const { tags } = (await app.inject({ method: 'GET', url: '/api/tags' })).json()
  const res = await app.inject({ method: 'GET', url: `/api/articles?tag=${tags[0]}` })
  t.match(res.json(), { articles: [{ title: 'Dragons' }], articlesCount: 1 })
})
