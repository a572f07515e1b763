import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import {
  currentPractice,
  loadProgress,
  practiceState,
  progressFile,
  recordTestRun,
  saveProgress,
  updateLesson,
} from '../src/progress.js'

t.test('a recorded test run reads back the same', async (t) => {
  const file = progressFile(t.testdir({}))
  const at = new Date('2025-01-02T03:04:05.000Z')
  t.equal(recordTestRun(file, 'hello', 0, at), undefined)
  recordTestRun(file, 'routes', 1, at)
  t.same(loadProgress(file), {
    progress: {
      version: 1,
      lessons: {
        hello: { lastTest: { result: 'passed', at: at.toISOString(), exitCode: 0 } },
        routes: { lastTest: { result: 'failed', at: at.toISOString(), exitCode: 1 } },
      },
    },
  })
})

t.test('no file yet means no progress, and no complaint', async (t) => {
  t.same(loadProgress(progressFile(t.testdir({}))), { progress: { version: 1, lessons: {} } })
})

t.test('a damaged file is reported in one line and treated as empty', async (t) => {
  const root = t.testdir({ '.kitchen': { 'progress.json': '{"version": 1, "less' } })
  const file = progressFile(root)
  const loaded = loadProgress(file)
  t.same(loaded.progress, { version: 1, lessons: {} })
  t.match(loaded.problem, /progress\.json is damaged/)
  t.notMatch(loaded.problem, /\n/)

  t.match(recordTestRun(file, 'hello', 0), /damaged/, 'the next run says so once more')
  t.equal(loadProgress(file).problem, undefined, 'and leaves a good file behind')
})

t.test('JSON of the wrong shape counts as damaged too', async (t) => {
  const root = t.testdir({ '.kitchen': { 'progress.json': '[1, 2, 3]' } })
  t.match(loadProgress(progressFile(root)).problem, /damaged/)
})

t.test('fields this version does not know survive a rewrite', async (t) => {
  const file = progressFile(t.testdir({}))
  saveProgress(file, {
    version: 1,
    lessons: { hello: { practice: { state: 'current' }, notes: 'mine' } },
  })
  recordTestRun(file, 'hello', 0)
  const saved = JSON.parse(readFileSync(file, 'utf8'))
  t.match(saved.lessons.hello, { practice: { state: 'current' }, notes: 'mine', lastTest: {} })
})

t.test('a bad entry is dropped without losing the others', async (t) => {
  const root = t.testdir({})
  const file = progressFile(root)
  saveProgress(file, { version: 1, lessons: {} })
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      lessons: {
        hello: { lastTest: { result: 'maybe', at: 'yesterday', exitCode: 0 } },
        routes: { lastTest: { result: 'passed', at: '2025-01-01T00:00:00.000Z', exitCode: 0 } },
        junk: 42,
      },
    }),
  )
  const { progress, problem } = loadProgress(file)
  t.equal(problem, undefined)
  t.same(Object.keys(progress.lessons), ['hello', 'routes'])
  t.equal(progress.lessons.hello?.lastTest, undefined)
  t.equal(progress.lessons.routes?.lastTest?.result, 'passed')
})

t.test('saving leaves no temp files behind', async (t) => {
  const root = t.testdir({})
  recordTestRun(progressFile(root), 'hello', 0)
  recordTestRun(progressFile(root), 'hello', 1)
  t.same(readdirSync(join(root, '.kitchen')), ['progress.json'])
})

t.test('practice state and hints seen read back the same', async (t) => {
  const file = progressFile(t.testdir({}))
  const practice = {
    state: 'done' as const,
    startedAt: '2025-01-02T03:04:05.000Z',
    doneAt: '2025-01-02T04:00:00.000Z',
    lastCheck: { result: 'passed' as const, at: '2025-01-02T04:00:00.000Z', passed: 25, failed: 0 },
  }
  updateLesson(file, 'validation', (entry) => ({ ...entry, practice, hintsSeen: 2 }))
  recordTestRun(file, 'validation', 0)
  const { lessons } = loadProgress(file).progress
  t.same(lessons.validation?.practice, practice)
  t.equal(lessons.validation?.hintsSeen, 2)
  t.equal(lessons.validation?.lastTest?.result, 'passed')
  t.equal(practiceState(lessons.validation), 'done')
  t.equal(practiceState(lessons.hello), 'not-started')
})

t.test('the current lesson is the one most recently started', async (t) => {
  const file = progressFile(t.testdir({}))
  const current = (startedAt: string) => ({ practice: { state: 'current' as const, startedAt } })
  updateLesson(file, 'routes', () => current('2025-01-01T00:00:00.000Z'))
  updateLesson(file, 'validation', () => current('2025-02-01T00:00:00.000Z'))
  updateLesson(file, 'hello', () => ({ practice: { state: 'done' } }))
  t.equal(currentPractice(loadProgress(file).progress), 'validation')
  updateLesson(file, 'validation', () => undefined)
  t.equal(currentPractice(loadProgress(file).progress), 'routes')
})

t.test('a bad practice state or hint count is dropped, the rest kept', async (t) => {
  const root = t.testdir({
    '.kitchen': {
      'progress.json': JSON.stringify({
        version: 1,
        lessons: { validation: { practice: { state: 'finished' }, hintsSeen: -1, notes: 'x' } },
      }),
    },
  })
  const { progress, problem } = loadProgress(progressFile(root))
  t.equal(problem, undefined)
  t.same(progress.lessons.validation, { notes: 'x' })
})

t.test('a damaged file does not stop practice progress from being saved', async (t) => {
  const root = t.testdir({ '.kitchen': { 'progress.json': '{"lessons": {"validation": ' } })
  const file = progressFile(root)
  const problem = updateLesson(file, 'validation', () => ({ practice: { state: 'current' } }))
  t.match(problem, /damaged/)
  t.same(loadProgress(file), {
    progress: { version: 1, lessons: { validation: { practice: { state: 'current' } } } },
  })
})
