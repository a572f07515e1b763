import type { Redis } from 'ioredis'
import type { Cache } from './cache.js'
import type { User } from './users/schemas.js'

// How long memory answers for a token before asking Redis again. Short: it bounds the harm of a
// "forget" message that never came (Redis sends each message once, to whoever listens then).
const MEMORY_SECONDS = 10
export const MAX_ENTRIES = 10_000 // tokens (some 20 MB); when full, the oldest goes

type Entry = { user: User; jti: string; expiresAt: number }

/**
 * The signed-in user by access token, in this copy's memory: no Redis, no verification. Every
 * copy has its own, so Redis pub/sub tells them all what to forget (`user:<id>`, `token:<jti>`),
 * and memory answers only while it is listening: one that was cut off may have missed a message.
 */
export class LocalCache {
  private readonly entries = new Map<string, Entry>()
  /** Bumped by every forgetting: an answer found before it may be stale. */
  version = 0
  /** Subscribed to the channel (see listen). The tests of this class set it by hand. */
  listening = false
  private subscriber: Redis | undefined

  constructor(
    private readonly now: () => number,
    private readonly cache?: Cache,
  ) {}

  // ioredis's keyPrefix is for keys, not channels: put it in by hand, so apps keep apart.
  private get channel(): string {
    return `${this.cache?.redis?.options.keyPrefix ?? ''}forget`
  }

  get(token: string): Entry | undefined {
    const entry = this.listening ? this.entries.get(token) : undefined
    if (entry && entry.expiresAt > this.now()) return entry
    this.entries.delete(token) // expired, if it was there: Redis is asked again
  }

  /** Remember, unless something was forgotten since `version` was read: it may be stale. */
  set(token: string, found: { user: User; jti: string; exp: number }, version: number): void {
    if (!this.listening || version !== this.version) return
    // Full: the oldest goes (a Map keeps its keys in the order they were added).
    const oldest = this.entries.keys().next().value
    if (this.entries.size >= MAX_ENTRIES && oldest) this.entries.delete(oldest)
    // Never longer than the token itself is good for (`exp`, in seconds).
    const expiresAt = Math.min(found.exp * 1000, this.now() + MEMORY_SECONDS * 1000)
    this.entries.set(token, { user: found.user, jti: found.jti, expiresAt })
  }

  /** Forget a user (`user:<id>`: all their tokens) or a token (`token:<jti>`). Rare: a scan. */
  forget(message: string): void {
    this.version++
    const [kind, id] = message.split(':')
    for (const [token, { user, jti }] of this.entries) {
      if (kind === 'user' ? String(user.id) === id : jti === id) this.entries.delete(token)
    }
  }

  clear(): void {
    this.version++
    this.entries.clear()
  }

  /** Forget here at once (this copy must not wait for its own message), and tell every copy. */
  async forgetEverywhere(message: `user:${number}` | `token:${string}`): Promise<void> {
    this.forget(message)
    await this.cache?.run((redis) => redis.publish(this.channel, message))
  }

  /** Subscribe, on a connection of its own: one that subscribes can do nothing else. */
  async listen(): Promise<void> {
    const subscriber = this.cache?.redis?.duplicate({ autoResubscribe: false })
    if (!subscriber) return // no Redis: memory never answers, as in lesson 29
    this.subscriber = subscriber
    let subscribed: Promise<void> | undefined
    // Connected, or connected again: subscribe, and listen once Redis has said yes.
    subscriber.on('ready', () => {
      const yes = () => this.hearing(subscriber.status) // 'ready', unless cut off meanwhile
      subscribed = subscriber.subscribe(this.channel).then(yes, () => {})
    })
    // Cut off: messages sent from now on are lost to it.
    for (const event of ['close', 'end', 'error', 'reconnecting']) {
      subscriber.on(event, () => this.hearing(event))
    }
    subscriber.on('message', (_channel: string, message: string) => this.forget(message))
    await subscriber.connect().catch(() => {}) // Redis down: deaf until ioredis reconnects
    await subscribed // the first request finds memory listening
  }

  /** Listening only while subscribed; deaf, it forgets everything: it may have missed a message. */
  private hearing(status: string): void {
    const on = status === 'ready'
    const news = `memory cache ${on ? 'on' : 'off, emptied'} (subscriber: ${status})`
    if (on !== this.listening) this.cache?.log.info(news)
    this.listening = on
    if (!on) this.clear()
  }

  /** The app is closing: stop listening, quietly (there is nothing left to miss). */
  close(): void {
    this.listening = false
    this.subscriber?.disconnect()
  }
}
