export {
  checkDatabaseName,
  maskPassword,
  withClient,
  withDatabase,
} from './connection.js'
export {
  adminUrl,
  DatabaseStartError,
  DEFAULT_PORT,
  type EmbeddedLocation,
  type EmbeddedPostgres,
  EmbeddedPostgresError,
  type EmbeddedPostgresOptions,
  type EmbeddedStatus,
  embeddedLocation,
  embeddedStatus,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
} from './embedded.js'
export {
  checkDatabaseReachable,
  DatabaseUnreachableError,
  type ResolvedDatabase,
  resolveDatabaseUrl,
} from './url.js'
