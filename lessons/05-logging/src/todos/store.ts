import type { Todo, UpdateTodo } from './schemas.js'

/**
 * Keeps to-dos in memory, in a Map from id to to-do. Simple, but everything is lost when the
 * server stops: lesson 07 moves the to-dos into a database.
 */
export class TodoStore {
  private readonly todos = new Map<number, Todo>()
  private nextId = 1

  list(): Todo[] {
    return [...this.todos.values()]
  }

  get(id: number): Todo | undefined {
    return this.todos.get(id)
  }

  create(title: string): Todo {
    const todo = { id: this.nextId++, title, done: false, createdAt: new Date().toISOString() }
    this.todos.set(todo.id, todo)
    return todo
  }

  /** Changes the fields given (the others keep theirs); undefined when there is no such to-do. */
  update(id: number, changes: UpdateTodo): Todo | undefined {
    const todo = this.todos.get(id)
    if (!todo) return undefined
    const updated = { ...todo, title: changes.title ?? todo.title, done: changes.done ?? todo.done }
    this.todos.set(id, updated)
    return updated
  }

  /** Returns false when there was no to-do with that id. */
  delete(id: number): boolean {
    return this.todos.delete(id)
  }
}
