import t from 'tap'
import { lastFullRun, parseTapFile } from '../src/tap-results.js'

const tap = `TAP version 14
# Subtest: lists the to-dos
    ok 1 - should be equal
    1..1
ok 1 - lists the to-dos # time=3.1ms

# Subtest: rejects a title of the wrong type
    ok 1 - should be equal
    not ok 2 - should be equal
      ---
      compare: ===
      at:
        fileName: test/bad-input.test.ts
        lineNumber: 47
        columnNumber: 5
      diff: |
        --- expected
        +++ actual
        @@ -1,1 +1,1 @@
        -400
        +201
      ...
    1..2
not ok 2 - rejects a title of the wrong type # time=5ms

ok 3 - not written yet # SKIP
1..3
`

t.test('top-level tests are the behaviours; a failure says where and why', async (t) => {
  const result = parseTapFile('test/bad-input.test.ts', tap)
  t.equal(result.crashed, false)
  t.same(
    result.behaviours.map(({ name, ok, skipped }) => ({ name, ok, skipped })),
    [
      { name: 'lists the to-dos', ok: true, skipped: false },
      { name: 'rejects a title of the wrong type', ok: false, skipped: false },
      { name: 'not written yet', ok: true, skipped: true },
    ],
  )
  t.same(result.behaviours[1]?.reason, [
    'should be equal (test/bad-input.test.ts:47)',
    '-400',
    '+201',
  ])
})

t.test('a file that ran no test crashed', async (t) => {
  t.equal(parseTapFile('test/x.test.ts', '').crashed, true)
  t.equal(parseTapFile('test/x.test.ts', 'TAP version 14\n1..0\n').crashed, true)
})

t.test(
  'a one-process run (test/all.ts) stands for the lesson; single-file results beside it do not count',
  async (t) => {
    const all = { file: 'test/all.ts' }
    const single = { file: 'test/todos.test.ts' }
    t.same(lastFullRun([all, single]), [all])
    t.same(lastFullRun([single]), [single], 'files run one by one count one by one')
    t.same(lastFullRun([]), [])
  },
)
