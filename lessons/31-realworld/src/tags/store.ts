import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/** Tags in PostgreSQL. */
export class TagStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Every tag that some article has, the most used first (a front end's "popular tags"), then
   * alphabetically. A tag whose last article was deleted is no longer listed.
   */
  async list(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('tags')
      .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
      .select('tags.name')
      .groupBy(['tags.id', 'tags.name'])
      .orderBy((eb) => eb.fn.countAll(), 'desc')
      .orderBy('tags.name')
      .execute()
    return rows.map((row) => row.name)
  }
}
