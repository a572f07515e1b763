import { existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { type Context, paint } from '../context.js'
import { lessonNumber } from '../lessons.js'
import { playgroundDir, playgroundLabel } from '../playground.js'
import { checkCommand, practiceLesson, quickCheck } from './check.js'

const FIRST_RUN = 'first run'
const FIRST_POLL = 'first run (polling for changes)'

export interface WatchOptions {
  /** Poll for changes instead of asking the operating system (network and container file systems). */
  poll: boolean
  /** Stops watching (tests); otherwise Ctrl-C does. */
  signal?: AbortSignal
  debounceMs?: number
  pollMs?: number
}

/**
 * `pnpm lesson watch [n] [--poll]`: check once, then again whenever a file under the
 * playground's src/ is saved, until Ctrl-C. Saves that come in a burst (an editor writing
 * several files, or a file twice) make one run; a save during a run makes one more run after it.
 */
export async function watchCommand(
  ctx: Context,
  input: string | undefined,
  options: WatchOptions,
): Promise<number> {
  const lesson = practiceLesson(ctx, input, 'watch')
  if (typeof lesson === 'number') return lesson
  const number = lessonNumber(lesson)
  const src = join(playgroundDir(ctx.root, lesson), 'src')
  if (!existsSync(src)) {
    ctx.err(
      `You have no copy of lesson ${number} to watch: make one with \`pnpm lesson practice ${number}\`.`,
    )
    return 1
  }
  const label = `${playgroundLabel(lesson)}/src`
  const debounceMs = options.debounceMs ?? 300

  let running = false
  let again: string | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let current: Promise<void> = Promise.resolve()

  const run = (why: string) => {
    if (running) again = why
    else current = check(why)
    return current
  }
  const check = async (why: string): Promise<void> => {
    running = true
    ctx.out('')
    ctx.out(paint(ctx, ['bold', 'cyan'], `── ${clock()} ${why}: checking lesson ${number} ──`))
    // After a save, the lesson's own tests first (seconds), then the whole check.
    const newShown = why !== FIRST_RUN && why !== FIRST_POLL && (await quickCheck(ctx, lesson))
    await checkCommand(ctx, lesson.id, { quietDiff: true, newShown })
    running = false
    if (stopped) return
    if (again) {
      const next = again
      again = undefined
      return check(next)
    }
    ctx.out(paint(ctx, 'dim', `Watching ${label} for changes (Ctrl-C stops).`))
  }
  const changed = (file: string | undefined) => {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(() => void run(file ? `${file} changed` : 'a file changed'), debounceMs)
  }

  const stopWatching = options.poll
    ? poll(src, options.pollMs ?? 500, changed)
    : osWatch(src, changed, ctx)
  void run(options.poll ? FIRST_POLL : FIRST_RUN)

  await new Promise<void>((resolve) => {
    const stop = () => {
      stopped = true
      clearTimeout(timer)
      stopWatching()
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    if (options.signal?.aborted) return stop()
    options.signal?.addEventListener('abort', stop, { once: true })
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await current
  ctx.out('')
  ctx.out('Stopped watching.')
  return 0
}

/**
 * fs.watch on the whole tree (recursive: Linux since Node 20, macOS, Windows). If the file
 * system cannot be watched, fall back to polling and say so.
 */
function osWatch(
  dir: string,
  changed: (file: string | undefined) => void,
  ctx: Pick<Context, 'err'>,
): () => void {
  let watcher: FSWatcher
  try {
    watcher = watch(dir, { recursive: true }, (_event, file) =>
      changed(file ? join('src', file.toString()).split(sep).join('/') : undefined),
    )
  } catch (error) {
    ctx.err(
      `Cannot watch ${dir} (${(error as Error).message}): checking it for changes twice a second instead.`,
    )
    return poll(dir, 500, changed)
  }
  watcher.on('error', () => {
    // The watched folder went away (deleted or replaced): nothing more to watch.
  })
  return () => watcher.close()
}

/** Compare the size and modification time of every file under `dir` every `ms`. */
export function poll(
  dir: string,
  ms: number,
  changed: (file: string | undefined) => void,
): () => void {
  let before = scan(dir)
  const interval = setInterval(() => {
    const now = scan(dir)
    for (const [file, stamp] of now) {
      if (before.get(file) !== stamp) return report(now, file)
    }
    for (const file of before.keys()) if (!now.has(file)) return report(now, file)
  }, ms)
  const report = (now: Map<string, string>, file: string) => {
    before = now
    changed(join('src', relative(dir, file)).split(sep).join('/'))
  }
  return () => clearInterval(interval)
}

function scan(dir: string, files = new Map<string, string>()): Map<string, string> {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return files
  }
  for (const entry of entries) {
    const path = join(dir, entry)
    try {
      const stat = statSync(path)
      if (stat.isDirectory()) scan(path, files)
      else files.set(path, `${stat.size}:${stat.mtimeMs}`)
    } catch {
      // deleted while we looked
    }
  }
  return files
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8)
}
