import { listenOnFreePort, readyApp } from '@kitchen/testing'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'

/** A fresh app for one test: its own empty to-do store, closed when the test ends. */
export async function appForTest(t: Test) {
  return readyApp(t, buildApp())
}

/** The same app listening on a free port, for requests over real HTTP. Returns its URL. */
export async function serverForTest(t: Test) {
  return listenOnFreePort(t, buildApp())
}
