import { spawn } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { fixtureRepo } from './fixtures.js'

const scripts = fileURLToPath(new URL('..', import.meta.url))
const lessonBin = join(scripts, 'src/bin/lesson.mjs')

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  )
}

t.test('scripts/package.json makes programs `lesson`, `db` and `redis`', async (t) => {
  const pkg = JSON.parse(readFileSync(join(scripts, 'package.json'), 'utf8'))
  t.same(pkg.bin, {
    lesson: 'src/bin/lesson.mjs',
    db: 'src/bin/db.mjs',
    redis: 'src/bin/redis.mjs',
  })
  for (const file of Object.values(pkg.bin) as string[]) {
    t.doesNotThrow(() => accessSync(join(scripts, file), constants.X_OK), `${file} runs`)
    t.match(readFileSync(join(scripts, file), 'utf8'), /^#!\/usr\/bin\/env node\n/)
  }
})

t.test('the lesson program works from a lesson folder, not only from the root', async (t) => {
  const root = fixtureRepo(t)
  const result = await run('node', [lessonBin, 'list'], join(root, 'lessons/02-routes/src'), {
    KITCHEN_ROOT: root,
  })
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /01 {2}A server answers/)
  t.match(result.stdout, /04 {2}Errors/)
})

t.test('the lesson program finds the repository from its own place', async (t) => {
  const lessons = join(scripts, '..', 'lessons')
  const result = await run('node', [lessonBin, 'list'], join(scripts, 'test'), {
    KITCHEN_ROOT: '',
  })
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /01 {2}\S/, `the lessons of ${lessons}`)
})

t.test('the db program works from another folder', async (t) => {
  const result = await run('node', [join(scripts, 'src/bin/db.mjs'), 'help'], join(scripts, 'test'))
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, 'Usage: pnpm db <command>')
})

t.test('the redis program works from another folder', async (t) => {
  const result = await run(
    'node',
    [join(scripts, 'src/bin/redis.mjs'), 'help'],
    join(scripts, 'test'),
  )
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, 'Usage: pnpm redis <command>')
})

/**
 * The whole chain with the real pnpm, in a small workspace made like this one: its root
 * depends on a package whose `lesson` program is ours, and `pnpm lesson list` runs in a
 * lesson folder and in a playground copy (which is in no workspace).
 */
t.test('`pnpm lesson` in a lesson folder or a playground runs the root program', async (t) => {
  const workspace = t.testdir({
    'package.json': JSON.stringify({
      name: 'kitchen-root',
      private: true,
      devDependencies: { 'kitchen-bins': 'workspace:*' },
    }),
    'pnpm-workspace.yaml': 'packages:\n  - bins\n  - lessons/*\n',
    bins: {
      'package.json': JSON.stringify({
        name: 'kitchen-bins',
        version: '1.0.0',
        type: 'module',
        bin: { lesson: 'lesson.mjs' },
      }),
      'lesson.mjs': `#!/usr/bin/env node\nawait import(${JSON.stringify(lessonBin)})\n`,
    },
    lessons: {
      '01-hello': {
        'package.json': JSON.stringify({ name: 'lesson-01', description: 'Hello from pnpm' }),
      },
    },
    playground: {
      '01-hello': {
        'package.json': JSON.stringify({ name: 'playground-01', scripts: { test: 'true' } }),
      },
    },
  })
  const pnpm = (args: string[], cwd: string) =>
    run('npx', ['--yes', 'pnpm@10.34.9', ...args], cwd, { KITCHEN_ROOT: workspace })
  const install = await pnpm(['install', '--offline', '--silent'], workspace)
  if (install.code !== 0) {
    t.plan(0, `pnpm could not install offline here: ${install.stderr.trim().split('\n')[0]}`)
    return
  }
  for (const folder of ['lessons/01-hello', 'playground/01-hello']) {
    const result = await pnpm(['lesson', 'list'], join(workspace, folder))
    t.equal(result.code, 0, `${folder}: ${result.stderr}`)
    t.match(result.stdout, /01 {2}Hello from pnpm/, folder)
  }
})
