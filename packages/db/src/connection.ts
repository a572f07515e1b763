import pg from 'pg'

/**
 * Run `fn` with a connected client, then close it. The 'error' listener matters: when the
 * server stops, pg reports it as an 'error' event (57P01), and an unheard 'error' event would
 * crash Node. The failed query still rejects, so nothing is lost by listening.
 */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

/** The URL with its password replaced by ****, safe to print or log. */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '****'
    return parsed.toString()
  } catch {
    return '(a DATABASE_URL that is not a valid URL)'
  }
}

/** Database names we create are plain identifiers, so they never need quoting. */
export function checkDatabaseName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(
      `"${name}" is not a usable database name: use lower-case letters, digits and _ (at most 63).`,
    )
  }
  return name
}
