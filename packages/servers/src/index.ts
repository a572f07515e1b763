export {
  findNginx,
  HOW_TO_INSTALL_NGINX,
  type ListenAddress,
  listenAddress,
  type NginxConfig,
  type NginxServer,
  nginxConfig,
  type StartNginxOptions,
  startNginx,
} from './nginx.js'
export { freePort, portAnswers, portIsFree } from './ports.js'
export {
  type Env,
  type FindOptions,
  type FoundProgram,
  isExecutable,
  type MissingProgram,
  onPath,
  ServerStartError,
} from './programs.js'
export {
  findRedisServer,
  HOW_TO_INSTALL_REDIS,
  type RedisServer,
  type StartRedisOptions,
  startRedis,
} from './redis.js'
export {
  checkRedisReachable,
  DEFAULT_REDIS_PORT,
  type RedisDevLocation,
  type RedisDevStatus,
  type ResolvedRedis,
  redisDevLocation,
  redisDevStatus,
  resolveRedisUrl,
  startRedisDev,
  stopRedisDev,
} from './redis-dev.js'
export { maskPassword, parseRedisUrl, pingRedis, type RedisAddress, redisAnswers } from './resp.js'
