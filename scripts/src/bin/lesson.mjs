#!/usr/bin/env node
/**
 * `pnpm lesson …` from any folder of the repository. pnpm runs a root script only from the
 * root (or with `-w`); anywhere else it looks for a script of the package it is in, and then
 * for a program of that name in `node_modules/.bin`, its own and the repository root's. The
 * root depends on @kitchen/scripts, so this file is `node_modules/.bin/lesson` there, and
 * `pnpm lesson check` works in lessons/05-logging and in playground/03-validation alike.
 * The repository is found from this file's place, never from the current folder.
 */
import { register } from 'tsx/esm/api'

register()
const { runFromCommandLine } = await import('../lesson.ts')
await runFromCommandLine()
