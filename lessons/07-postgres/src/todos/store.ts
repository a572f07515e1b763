import type pg from 'pg'
import type { Todo, UpdateTodo } from './schemas.js'

type TodoRow = { id: number; title: string; done: boolean; created_at: Date }

/**
 * Keeps to-dos in PostgreSQL: the same methods, each now a query (so async). Values never go
 * into the SQL text: glued in (`values ('${title}')`), a title `x'); drop table todos; --`
 * would end the quote and run its own SQL ("SQL injection"). The SQL says $1, $2 and the values
 * travel beside it: Postgres parses the SQL first, then uses the values as data.
 */
export class TodoStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<Todo[]> {
    const { rows } = await this.pool.query<TodoRow>('select * from todos order by id')
    return rows.map(toTodo)
  }

  async get(id: number): Promise<Todo | undefined> {
    const { rows } = await this.pool.query<TodoRow>('select * from todos where id = $1', [id])
    return rows[0] && toTodo(rows[0])
  }

  async create(title: string): Promise<Todo> {
    const insert = 'insert into todos (title) values ($1) returning *'
    const { rows } = await this.pool.query<TodoRow>(insert, [title])
    return toTodo(rows[0] as TodoRow)
  }

  /** Changes the fields given (the others keep theirs); undefined when there is no such to-do. */
  async update(id: number, changes: UpdateTodo): Promise<Todo | undefined> {
    const { rows } = await this.pool.query<TodoRow>(
      'update todos set title = coalesce($2, title), done = coalesce($3, done) where id = $1 returning *',
      [id, changes.title ?? null, changes.done ?? null],
    )
    return rows[0] && toTodo(rows[0])
  }

  /** Returns false when there was no to-do with that id. */
  async delete(id: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('delete from todos where id = $1', [id])
    return rowCount === 1
  }
}

function toTodo(row: TodoRow): Todo {
  return { id: row.id, title: row.title, done: row.done, createdAt: row.created_at.toISOString() }
}
