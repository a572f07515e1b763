/**
 * tap starts every test process with a module hook of its own (@tapjs/processinfo), and passes it
 * on, through NODE_OPTIONS, to every process a test starts: to record which files each one
 * loads, for coverage. We measure no coverage, and on Node 20 that hook runs every `import`
 * through a second thread: a lesson's server takes twice the CPU to start with it (about 1 s
 * instead of 0.5 s), and the tests start one many times.
 *
 * tap adds the hook from a listener of `process-on-spawn`, called on every spawn. Ours runs after
 * it, and takes the hook back out for the processes that ask (`env[WITHOUT_TAP_HOOKS]`), so they
 * start as they would from a terminal. Outside tap there is no listener list, and nothing to do.
 */
export const WITHOUT_TAP_HOOKS = 'KITCHEN_WITHOUT_TAP_HOOKS'

interface SpawnOptions {
  env: Record<string, string | undefined>
}
type Listener = (options: SpawnOptions) => void
const listeners = (globalThis as Record<symbol, { listeners?: Listener[] } | undefined>)[
  Symbol.for('process-on-spawn@*:singletonId')
]?.listeners

const tapHook = /"?--(?:import|loader|experimental-loader)=[^\s"]*@tapjs[\\/+]processinfo[^\s"]*"?/g

function takeOutTapHooks(options: SpawnOptions) {
  const { env } = options
  if (!env[WITHOUT_TAP_HOOKS]) return
  const rest: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(env)) {
    if (name === WITHOUT_TAP_HOOKS || name.startsWith('_TAPJS_PROCESSINFO_')) continue
    rest[name] = name === 'NODE_OPTIONS' ? value?.replace(tapHook, '').trim() : value
  }
  if (!rest.NODE_OPTIONS) delete rest.NODE_OPTIONS
  options.env = rest
}

if (listeners && !listeners.includes(takeOutTapHooks)) listeners.push(takeOutTapHooks)
