export { type CreateAppOptions, createApp } from './app.js'
export { ConfigError, loadConfig, type ServerConfig, ServerConfigSchema } from './config.js'
export {
  createErrorHandler,
  type ErrorBody,
  ErrorBodySchema,
  type ErrorTranslator,
  errorBody,
  errorHandler,
  HttpError,
  httpErrors,
  notFoundHandler,
} from './errors.js'
export { ListenError, type StartOptions, serverUrl, startServer } from './start.js'
