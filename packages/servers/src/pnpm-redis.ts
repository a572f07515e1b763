/**
 * pnpm redis <start|stop|status|url>: look after the Redis the lessons use while you develop.
 * Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
import { ServerStartError } from './programs.js'
import {
  DEFAULT_REDIS_PORT,
  type RedisDevStatus,
  redisDevStatus,
  startRedisDev,
  stopRedisDev,
} from './redis-dev.js'
import { maskPassword, pingRedis } from './resp.js'

const USAGE = `Usage: pnpm redis <command>

  start    start Redis in the background
  stop     stop it
  status   is it running? its URL, PID and log
  url      print the URL to connect to

Settings: KITCHEN_REDIS_PORT (default ${DEFAULT_REDIS_PORT}), KITCHEN_REDIS_DIR (default .kitchen/redis).
With REDIS_URL set, the lessons use that Redis instead, and there is nothing to start.
Needs the redis-server program: see "What you need" in the README.`

export async function main(argv: string[]): Promise<number> {
  const [command] = argv
  switch (command) {
    case 'start':
      return start()
    case 'stop':
      return stop()
    case 'status':
      return status()
    case 'url':
      return url()
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE)
      return command ? 0 : 2
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`)
      return 2
  }
}

function yourRedis(): string | undefined {
  return process.env.REDIS_URL || undefined
}

async function start(): Promise<number> {
  const mine = yourRedis()
  if (mine) {
    console.log(
      `REDIS_URL is set (${maskPassword(mine)}), so the lessons use that Redis: there is nothing to start.`,
    )
    return 0
  }
  const { status, started } = await startRedisDev()
  console.log(
    started
      ? 'Redis is running in the background (stop it with: pnpm redis stop).'
      : `Redis is already running (PID ${status.pid}).`,
  )
  printServer(status)
  return 0
}

function printServer(status: RedisDevStatus) {
  console.log(`  URL:   ${status.url}`)
  console.log(`  PID:   ${status.pid}`)
  console.log(`  Log:   ${status.logFile}`)
  console.log(`  Try:   redis-cli -u ${status.url} ping`)
}

async function stop(): Promise<number> {
  const { pid } = await redisDevStatus()
  if (await stopRedisDev()) console.log(`Stopped Redis (PID ${pid}).`)
  else if (yourRedis()) {
    console.log(
      `REDIS_URL is set (${maskPassword(yourRedis() ?? '')}): that Redis is yours, and pnpm redis neither starts nor stops it. There is nothing to stop.`,
    )
  } else console.log('Redis is not running.')
  return 0
}

async function status(): Promise<number> {
  const mine = yourRedis()
  if (mine) {
    const answer = await pingRedis(mine).then(
      () => 'It answers PING.',
      (error: Error) => `It does not answer: ${error.message}`,
    )
    console.log(`REDIS_URL is set: the lessons use the Redis at ${maskPassword(mine)}. ${answer}`)
    return 0
  }
  const state = await redisDevStatus()
  if (!state.running) {
    console.log('Redis is not running. Start it with: pnpm redis start')
    console.log(`  Port:  ${state.port}`)
    console.log(`  Log:   ${state.logFile}`)
    return 0
  }
  console.log(`Redis is running (PID ${state.pid}).`)
  printServer(state)
  return 0
}

async function url(): Promise<number> {
  const mine = yourRedis()
  if (mine) {
    console.log(mine)
    return 0
  }
  const state = await redisDevStatus()
  console.log(state.url)
  if (!state.running) console.error('(Redis is not running: pnpm redis start)')
  return 0
}

/** Run as a program: `node pnpm-redis.ts start` (what scripts/src/bin/redis.mjs does). */
export function runFromCommandLine(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error instanceof ServerStartError ? error.message : error.stack)
      process.exit(1)
    },
  )
}
