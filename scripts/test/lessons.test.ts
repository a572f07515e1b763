import { join } from 'node:path'
import t from 'tap'
import { main } from '../src/lesson.js'
import { findLessons, type Lesson, lessonAt, resolveLesson, startingPoint } from '../src/lessons.js'
import { fixtureRepo, testContext } from './fixtures.js'

t.test('finds the lesson folders in order, with their titles', async (t) => {
  const lessons = findLessons(`${fixtureRepo(t)}/lessons`)
  t.same(
    lessons.map((lesson) => [lesson.number, lesson.id, lesson.slug, lesson.title]),
    [
      [1, '01-hello', 'hello', 'A server answers'],
      [2, '02-routes', 'routes', 'Routes and status codes'],
      [3, '03-validation', 'validation', 'Validation'],
      [4, '04-errors', 'errors', 'Errors'],
    ],
  )
  t.equal(lessons[2]?.packageName, '@kitchen/lesson-03-validation')
})

t.test('a lesson can be named 3, 03, 03-validation or validation', async (t) => {
  const lessons = findLessons(`${fixtureRepo(t)}/lessons`)
  for (const input of ['3', '03', '03-validation', 'validation', '03-validation/']) {
    t.equal(resolveLesson(lessons, input).id, '03-validation', input)
  }
})

t.test('an unknown lesson is an error that lists the valid ones', async (t) => {
  const lessons = findLessons(`${fixtureRepo(t)}/lessons`)
  for (const input of ['7', '03-wrong', 'nope', '']) {
    t.throws(() => resolveLesson(lessons, input), {
      name: 'UnknownLessonError',
      message:
        /There is no lesson ".*"\. The lessons are:\n {2}01-hello\n {2}02-routes\n {2}03-validation\n {2}04-errors$/,
    })
  }
})

t.test('a missing lessons folder has no lessons', async (t) => {
  t.same(findLessons(`${t.testdir({})}/lessons`), [])
})

t.test('the folder a command is typed in can name the lesson', async (t) => {
  const root = fixtureRepo(t)
  const lessons = findLessons(join(root, 'lessons'))
  t.match(lessonAt(root, join(root, 'lessons/03-validation/src'), lessons), {
    lesson: { id: '03-validation' },
    playground: false,
  })
  t.match(lessonAt(root, join(root, 'playground/02-routes'), lessons), {
    lesson: { id: '02-routes' },
    playground: true,
  })
  t.equal(lessonAt(root, root, lessons), undefined)
  t.equal(lessonAt(root, join(root, 'lessons'), lessons), undefined)
  t.equal(lessonAt(root, join(root, 'lessons/09-nothing'), lessons), undefined)
  t.equal(lessonAt(root, join(root, 'scripts'), lessons), undefined)
})

t.test('in a lesson folder, `pnpm lesson test` needs no number', async (t) => {
  const root = fixtureRepo(t)
  const { ctx, stdout } = testContext(root, { cwd: join(root, 'lessons/03-validation/src') })
  t.equal(await main(['test'], ctx), 1, "lesson 03's tests fail in the fixture")
  t.match(stdout(), 'Testing lesson 03: Validation')
  const elsewhere = testContext(root, { cwd: root })
  t.equal(await main(['test'], elsewhere.ctx), 1)
  t.match(elsewhere.stderr(), '"test" needs a lesson')
})

t.test('practice starts from the lesson before, or from the one package.json names', async (t) => {
  const lesson = (number: number, slug: string, practiceFrom?: string): Lesson => ({
    number,
    id: `${number}-${slug}`,
    slug,
    dir: '',
    packageName: slug,
    title: slug,
    scripts: {},
    practiceFrom,
  })
  const lessons = [lesson(20, 'logout'), lesson(21, 'cors'), lesson(22, 'capstone', 'logout')]
  t.equal(startingPoint(lessons, lessons[1] as Lesson)?.slug, 'logout', 'the one before')
  t.equal(startingPoint(lessons, lessons[2] as Lesson)?.slug, 'logout', 'the one it names')
  t.equal(startingPoint(lessons, lessons[0] as Lesson), undefined, 'the first has none')
})
