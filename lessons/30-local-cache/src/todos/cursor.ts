import { HttpError } from '../error-handler.js'

/**
 * Where a page ended: the id and title of its last to-do; the next page starts right after it.
 * Unlike `?page=3` (OFFSET) it stays fast on page 1,000, and skips or repeats nothing when
 * to-dos come and go. It travels as opaque text: base64url of a little JSON.
 */
export interface Cursor {
  id: number
  title: string
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url')
}

/** Read a cursor back. One this API did not give out (or someone edited) is a 400. */
export function decodeCursor(text: string): Cursor {
  try {
    const { id, title } = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    const validId = Number.isInteger(id) && id >= 1 && id <= 2_147_483_647
    if (validId && typeof title === 'string') return { id, title }
  } catch {
    // not base64url JSON: the same answer as any other bad cursor
  }
  const message =
    'The cursor is not one this API gave out: use the Link header of the previous page.'
  throw new HttpError(400, 'INVALID_CURSOR', message)
}
