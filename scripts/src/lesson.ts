import { realpathSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { checkCommand } from './commands/check.js'
import { conformanceCommand } from './commands/conformance.js'
import { migrateCommand, seedCommand } from './commands/database.js'
import { diffCommand } from './commands/diff.js'
import { hintCommand } from './commands/hint.js'
import { listCommand } from './commands/list.js'
import { postmanCommand } from './commands/postman.js'
import { practiceCommand } from './commands/practice.js'
import { readmeCommand } from './commands/readme.js'
import { resetCommand } from './commands/reset.js'
import { startCommand } from './commands/start.js'
import { testCommand } from './commands/test.js'
import { verifyCommand } from './commands/verify.js'
import { watchCommand } from './commands/watch.js'
import { type Context, createContext } from './context.js'
import { findLessons, lessonAt, UnknownLessonError } from './lessons.js'

export const USAGE = `Usage: pnpm lesson <command>

  list                 every lesson: practised or not, and the result of its last test run
  start <n>            run lesson n's server (Ctrl-C stops it)
       --mine          run your practice copy of lesson n instead
       --verbose       show a crash's whole stack trace (not only its file:line and message)
       --sql           log every SQL query with its values and time (lessons 08 on)
  test <n>             run lesson n's tests and remember the result
  diff <n> [m]         what lesson n changed since the lesson before it (or since lesson m)
       --stat          only which files changed, and how many lines
       --readme        include README.md (left out by default: every lesson rewrites it)
       --src           only src/: the code, without the tests
       --tests         only test/: what the new tests check
       --mine          compare your practice copy of lesson n with lesson n itself
                       (both sides formatted the repository's way first)
  verify               test every lesson in order, stopping at the first that fails
  conformance          run RealWorld's official API suite (newman) against the capstone
       --mine          against your practice copy of the capstone instead
  readme <n>           print lesson n's README
  migrate <n> <dir>    run lesson n's database migrations: latest, up or down
  seed <n>             fill lesson n's database with its sample data
  postman <n>          where lesson n's Postman collection is, and how to import and run it

Practise a lesson by writing it yourself:
  practice <n>         copy lesson n's starting point to playground/NN-name/ (yours to edit)
       --force         start afresh even if your copy has work in it (it is backed up first)
  check [n]            grade your copy with lesson n's tests: a checklist of behaviours
  watch [n]            check again whenever you save a file in your copy's src/
       --poll          look for changes by polling (when saving does not trigger a check)
  hint [n]             the next hint for lesson n, one at a time
       --all           every hint at once
  reset <n>            forget lesson n's progress: practice state, hints seen, test results
  help                 this text

<n> is a lesson number or folder name: 3, 03 or 03-validation. In a lesson's folder or your
copy of it, that lesson is the default (start in your copy starts your copy); [n] otherwise
defaults to the lesson you are practising.
--color / --no-color force colours on or off (on by default in a terminal).`

/** Commands that take the lesson of the folder they are typed in when none is named. */
const HERE_COMMANDS = new Set(['start', 'test', 'diff', 'readme', 'check', 'watch', 'hint'])

/** A mistake in how the command was typed: the message, then the usage. */
class UsageError extends Error {}

/** Parse the arguments, run the command, and return the exit code. Errors become messages. */
export async function main(argv: string[], ctx: Context): Promise<number> {
  try {
    return await dispatch(argv, ctx)
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.err(`${error.message}\n\n${USAGE}`)
      return 1
    }
    if (error instanceof UnknownLessonError) {
      ctx.err(error.message)
      return 1
    }
    throw error
  }
}

async function dispatch(argv: string[], ctx: Context): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.color) ctx.color = true
  if (values['no-color']) ctx.color = false
  const [command, ...given] = positionals
  // In a lesson's folder or its playground copy, the lesson goes without saying.
  const here = lessonAt(ctx.root, ctx.cwd, findLessons(ctx.lessonsDir))
  const rest =
    given.length === 0 && here && HERE_COMMANDS.has(command ?? '') ? [here.lesson.id] : given

  switch (command) {
    case undefined:
    case 'help':
      ctx.out(USAGE)
      return 0
    case 'list':
      expectArgs(command, rest, 0)
      return listCommand(ctx)
    case 'start':
      return startCommand(ctx, expectArgs(command, rest, 1)[0] as string, {
        // `pnpm lesson start` in your copy starts your copy.
        mine: values.mine === true || (given.length === 0 && here?.playground === true),
        verbose: values.verbose === true,
        sql: values.sql === true,
      })
    case 'test':
      return testCommand(ctx, expectArgs(command, rest, 1)[0] as string)
    case 'diff': {
      const [after, before] = expectArgs(command, rest, 1, 2)
      return diffCommand(ctx, after as string, before, {
        stat: values.stat === true,
        readme: values.readme === true,
        mine: values.mine === true,
        only: diffOnly(values.src === true, values.tests === true),
      })
    }
    case 'migrate': {
      const [lesson, direction] = expectArgs(command, rest, 2)
      return migrateCommand(ctx, lesson as string, direction as string)
    }
    case 'seed':
      return seedCommand(ctx, expectArgs(command, rest, 1)[0] as string)
    case 'postman':
      return postmanCommand(ctx, expectArgs(command, rest, 1)[0] as string)
    case 'practice':
      return practiceCommand(ctx, expectArgs(command, rest, 1)[0] as string, {
        force: values.force === true,
      })
    case 'check':
      return checkCommand(ctx, expectArgs(command, rest, 0, 1)[0])
    case 'watch':
      return watchCommand(ctx, expectArgs(command, rest, 0, 1)[0], { poll: values.poll === true })
    case 'hint':
      return hintCommand(ctx, expectArgs(command, rest, 0, 1)[0], { all: values.all === true })
    case 'reset':
      return resetCommand(ctx, expectArgs(command, rest, 1)[0] as string)
    case 'verify':
      expectArgs(command, rest, 0)
      return verifyCommand(ctx)
    case 'conformance':
      expectArgs(command, rest, 0)
      return conformanceCommand(ctx, { mine: values.mine === true })
    case 'readme':
      return readmeCommand(ctx, expectArgs(command, rest, 1)[0] as string)
    default:
      throw new UsageError(`Unknown command "${command}".`)
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stat: { type: 'boolean' },
      readme: { type: 'boolean' },
      mine: { type: 'boolean' },
      src: { type: 'boolean' },
      tests: { type: 'boolean' },
      force: { type: 'boolean' },
      poll: { type: 'boolean' },
      all: { type: 'boolean' },
      verbose: { type: 'boolean' },
      sql: { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

function diffOnly(src: boolean, tests: boolean): 'src' | 'test' | undefined {
  if (src && tests) throw new UsageError('Choose one of --src and --tests (neither shows both).')
  return src ? 'src' : tests ? 'test' : undefined
}

function expectArgs(command: string, args: string[], min: number, max = min): string[] {
  if (args.length < min) {
    throw new UsageError(
      command === 'migrate'
        ? '"migrate" needs a lesson and a direction, such as: pnpm lesson migrate 06 latest'
        : `"${command}" needs a lesson, such as: pnpm lesson ${command} 01`,
    )
  }
  if (args.length > max)
    throw new UsageError(`Too many arguments for "${command}": ${args.join(' ')}`)
  return args
}

/** scripts/src/lesson.ts → the repository root, two folders up. KITCHEN_ROOT points elsewhere (tests). */
function repoRoot(): string {
  return process.env.KITCHEN_ROOT || resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
}

function isEntryPoint(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

/** Run the command typed after `pnpm lesson`, and exit with its code. */
export async function runFromCommandLine(): Promise<void> {
  // `pnpm lesson list | head`: the reader went away, which is no error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  const argv = process.argv.slice(2)
  process.exitCode = await main(
    argv.includes('--help') || argv.includes('-h') ? ['help'] : argv,
    createContext(repoRoot()),
  )
}

// `tsx scripts/src/lesson.ts` (the root's `lesson` script); src/bin/lesson.mjs calls
// runFromCommandLine itself.
if (isEntryPoint()) await runFromCommandLine()
