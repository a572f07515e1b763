/**
 * What a bench target's `setup` gets and gives back, and the setups that need no log-in
 * (auth.ts has the one that signs in).
 */

export interface SetupContext {
  /** The ids of the to-dos seeded into the bench database (empty without a database). */
  todoIds: number[]
  /** The bench database of the target's lesson (undefined without a database). */
  databaseUrl?: string
  /** The target's lesson folder (undefined for node:http). */
  lessonDir?: string
}

export interface SetupResult {
  headers?: Record<string, string>
  path?: string
  /** Called for every request: its path. Wins over `path`. */
  nextPath?: () => string
}

/** Create a few to-dos so a list route sends a realistic body instead of `[]`. */
export async function seedTodos(baseUrl: string): Promise<undefined> {
  for (let i = 1; i <= 10; i++) {
    const res = await fetch(`${baseUrl}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `To-do number ${i}` }),
    })
    if (!res.ok) throw new Error(`POST /todos answered ${res.status}: ${await res.text()}`)
  }
  return undefined
}

/** Every request asks for the next seeded to-do, round and round: no single hot row. */
export async function cycleTodoIds(
  _baseUrl: string,
  { todoIds }: SetupContext,
): Promise<SetupResult> {
  if (todoIds.length === 0) throw new Error('the bench database has no to-dos')
  let next = 0
  return {
    nextPath: () => {
      const id = todoIds[next % todoIds.length]
      next++
      return `/todos/${id}`
    },
  }
}
