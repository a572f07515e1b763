import { randomBytes } from 'node:crypto'

/**
 * "How to Train Your Dragon!" → "how-to-train-your-dragon": lower case, words joined by dashes.
 * Accents go (é → e); letters of other alphabets stay (a browser sends them %-encoded). A title
 * with no letters or digits at all (only emoji, say) becomes "article".
 */
export function slugify(title: string): string {
  const plain = title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  const words = plain.match(/[\p{L}\p{N}]+/gu) ?? []
  return words.join('-').slice(0, 80).replace(/-+$/, '') || 'article'
}

/** The slug with a random ending, for a title that is taken: "how-to-train-your-dragon-3f9c1a". */
export function withRandomEnding(slug: string): string {
  return `${slug}-${randomBytes(3).toString('hex')}`
}

/** GET /api/articles/feed is the feed: an article with the slug "feed" could never be read. */
export function isReserved(slug: string): boolean {
  return slug === 'feed'
}
