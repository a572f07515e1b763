import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { Teardown } from '../src/testing.js'

/** A temporary folder, deleted after the test; as root, open to the `postgres` user. */
export async function tempFolder(t: Teardown): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'kitchen-db-test-'))
  await chmod(folder, 0o755)
  t.teardown(() => rm(folder, { recursive: true, force: true }))
  return folder
}

/** Run one query on its own connection. */
export async function query(url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  client.on('error', () => {})
  await client.connect()
  try {
    return await client.query(sql, values)
  } finally {
    await client.end().catch(() => {})
  }
}

/** Set environment variables for one test, restoring them afterwards. */
export function setEnv(t: Teardown, values: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]))
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  apply(values)
  t.teardown(() => apply(saved))
}
