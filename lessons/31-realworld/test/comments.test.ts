import t from 'tap'
import { appForTest, asUser, postArticle, problem, type User } from './helpers.js'

// Comments: GET and POST /api/articles/:slug/comments, DELETE /api/articles/:slug/comments/:id.

async function comment(user: User, slug: string, body: string) {
  const res = await user.inject({
    method: 'POST',
    url: `/api/articles/${slug}/comments`,
    payload: { comment: { body } },
  })
  return res.json().comment as { id: number }
}

t.test('adding a comment answers 201 with its id, dates, body and author', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  const res = await jake.inject({
    method: 'POST',
    url: `/api/articles/${slug}/comments`,
    payload: { comment: { body: 'His name was my name too.' } },
  })
  t.equal(res.statusCode, 201)
  const { comment } = res.json()
  t.match(comment, {
    id: Number,
    body: 'His name was my name too.',
    author: { username: 'jake', bio: null, image: null, following: false },
  })
  t.match(comment.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.equal(comment.updatedAt, comment.createdAt)
})

t.test('comments are listed newest first, to anybody', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake)
  await comment(jake, slug, 'First')
  await comment(ann, slug, 'Second')
  const res = await app.inject({ method: 'GET', url: `/api/articles/${slug}/comments` })
  t.equal(res.statusCode, 200)
  t.match(res.json().comments, [
    { body: 'Second', author: { username: 'ann' } },
    { body: 'First', author: { username: 'jake' } },
  ])
})

t.test('a signed-in reader sees whether they follow each comment’s author', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake)
  await comment(jake, slug, 'By Jake')
  await ann.inject({ method: 'POST', url: '/api/profiles/jake/follow' })
  const res = await ann.inject({ method: 'GET', url: `/api/articles/${slug}/comments` })
  t.match(res.json().comments, [{ author: { username: 'jake', following: true } }])
})

t.test('an article without comments answers an empty list', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  const res = await app.inject({ method: 'GET', url: `/api/articles/${slug}/comments` })
  t.same(res.json(), { comments: [] })
})

t.test('a blank or missing comment body answers 422: body can’t be blank', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  for (const payload of [{ comment: { body: '   ' } }, { comment: {} }]) {
    const res = await jake.inject({
      method: 'POST',
      url: `/api/articles/${slug}/comments`,
      payload,
    })
    t.equal(res.statusCode, 422, JSON.stringify(payload))
    t.same(res.json(), problem('body', "can't be blank"))
  }
})

t.test('comments of an unknown article answer 404: article not found', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const list = await app.inject({ method: 'GET', url: '/api/articles/nope/comments' })
  t.equal(list.statusCode, 404)
  t.same(list.json(), problem('article', 'not found'))
  const add = await jake.inject({
    method: 'POST',
    url: '/api/articles/nope/comments',
    payload: { comment: { body: 'Hello' } },
  })
  t.equal(add.statusCode, 404)
  t.same(add.json(), problem('article', 'not found'))
})

t.test('commenting without a token answers 401, even on an unknown article', async (t) => {
  const app = await appForTest(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/articles/nope/comments',
    payload: { comment: { body: 'Hello' } },
  })
  t.equal(res.statusCode, 401)
  t.same(res.json(), problem('token', 'is missing'))
})

t.test('deleting your comment answers 204, and it is gone', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  const { id } = await comment(jake, slug, 'Oops')
  const res = await jake.inject({ method: 'DELETE', url: `/api/articles/${slug}/comments/${id}` })
  t.equal(res.statusCode, 204)
  const list = await app.inject({ method: 'GET', url: `/api/articles/${slug}/comments` })
  t.same(list.json(), { comments: [] })
})

t.test('deleting someone else’s comment answers 403, even for the article’s author', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const ann = await asUser(app, 'ann')
  const { slug } = await postArticle(jake)
  const { id } = await comment(ann, slug, 'Mine')
  const res = await jake.inject({ method: 'DELETE', url: `/api/articles/${slug}/comments/${id}` })
  t.equal(res.statusCode, 403)
  t.same(res.json(), problem('comment', 'forbidden'))
  const list = await app.inject({ method: 'GET', url: `/api/articles/${slug}/comments` })
  t.equal(list.json().comments.length, 1, 'still there')
})

t.test(
  'an unknown comment, or one under another article, answers 404: comment not found',
  async (t) => {
    const app = await appForTest(t)
    const jake = await asUser(app, 'jake')
    const first = await postArticle(jake, { title: 'First' })
    const second = await postArticle(jake, { title: 'Second' })
    const { id } = await comment(jake, first.slug, 'On the first')
    for (const url of [
      `/api/articles/${first.slug}/comments/999999`,
      `/api/articles/${second.slug}/comments/${id}`,
    ]) {
      const res = await jake.inject({ method: 'DELETE', url })
      t.equal(res.statusCode, 404, url)
      t.same(res.json(), problem('comment', 'not found'))
    }
    const noArticle = await jake.inject({
      method: 'DELETE',
      url: `/api/articles/nope/comments/${id}`,
    })
    t.same(noArticle.json(), problem('article', 'not found'))
  },
)

t.test('a comment id that is not a whole number answers 422', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  const res = await jake.inject({ method: 'DELETE', url: `/api/articles/${slug}/comments/abc` })
  t.equal(res.statusCode, 422)
  t.same(res.json(), problem('id', 'must be a whole number'))
})

t.test('deleting a comment without a token answers 401', async (t) => {
  const app = await appForTest(t)
  const jake = await asUser(app, 'jake')
  const { slug } = await postArticle(jake)
  const { id } = await comment(jake, slug, 'Mine')
  const res = await app.inject({ method: 'DELETE', url: `/api/articles/${slug}/comments/${id}` })
  t.equal(res.statusCode, 401)
})
