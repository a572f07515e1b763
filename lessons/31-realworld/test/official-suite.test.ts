import t from 'tap'
import { serverForTest } from './helpers.js'
import { collectionMissing, failuresOf, runOfficialSuite } from './official-suite.js'

// The official RealWorld API suite (a Postman collection) against this app, over real HTTP.
// `pnpm lesson conformance` runs the same and prints newman's own report.

t.test(
  'the official Postman suite passes: no failed request, no failed assertion',
  { skip: collectionMissing },
  async (t) => {
    const url = await serverForTest(t)
    const summary = await runOfficialSuite(`${url}/api`)
    const { requests, assertions } = summary.run.stats
    t.comment(`newman: ${requests.total} requests, ${assertions.total} assertions`)
    t.same(failuresOf(summary), [], 'every request and every assertion passes')
    t.equal(requests.failed, 0)
    t.equal(assertions.failed, 0)
    t.ok((requests.total ?? 0) >= 30, 'the whole collection ran')
  },
)
