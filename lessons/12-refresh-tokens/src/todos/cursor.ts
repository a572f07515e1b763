import { httpErrors } from '@kitchen/core'

/**
 * Where a page ended: the sort value and id of its last to-do. The next page starts right
 * after it ("keyset" or "cursor" pagination). Unlike `?page=3` (OFFSET), it stays fast on page
 * 1,000 and never skips or repeats a to-do when others are added or deleted meanwhile.
 * It travels as opaque text (base64url of a little JSON), so callers do not build it by hand.
 */
export interface Cursor {
  id: number
  /** The title of the last to-do, when sorting by title. */
  title?: string
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url')
}

/** Read a cursor back, checking it fits the sort it is used with (a title cursor for title). */
export function decodeCursor(text: string, byTitle: boolean): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    const id = value?.id
    const validId = Number.isInteger(id) && id >= 1 && id <= 2_147_483_647
    if (validId && byTitle && typeof value.title === 'string') return { id, title: value.title }
    if (validId && !byTitle && value.title === undefined) return { id }
  } catch {
    // not base64url JSON: fall through to the error below
  }
  throw httpErrors.badRequest(
    'The cursor is not one this API gave out: use the Link header of the previous page.',
    'INVALID_CURSOR',
  )
}
