import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export interface StartOptions {
  port: number
  host: string
  /** How long to wait for open requests on shutdown before giving up, in ms. */
  closeDelay?: number
  /** Runs after the app has closed, such as stopping a database this process started. */
  afterClose?: () => Promise<void>
}

/** The port is taken, or the host is not one of this computer's addresses. */
export class ListenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ListenError'
  }
}

/**
 * Listen, say where, and close cleanly on Ctrl-C (SIGINT), SIGTERM or a crash:
 * requests in flight finish, then `app.close()` runs every onClose hook (which closes the
 * database pool in later lessons). Returns the URL the server listens on.
 */
export async function startServer(app: FastifyInstance, options: StartOptions): Promise<string> {
  closeWithGrace({ delay: options.closeDelay ?? 10_000 }, async ({ signal, err }) => {
    if (err) {
      // Also on standard error: the app's log may be switched off (LOG_LEVEL=silent).
      console.error(err instanceof ListenError ? err.message : err)
      app.log.error({ err }, 'server closing after an error')
    } else app.log.info({ signal }, 'server closing')
    await app.close()
    await options.afterClose?.()
  })

  try {
    await app.listen({ port: options.port, host: options.host })
  } catch (error) {
    throw explainListenError(error, options)
  }
  const url = serverUrl(app)
  console.log(`Server ready at ${url}  (Ctrl-C to stop)`)
  return url
}

/** The http://host:port a listening app can be reached at. */
export function serverUrl(app: FastifyInstance): string {
  const address = app.server.address()
  if (address === null || typeof address === 'string') {
    throw new Error('The app is not listening on a TCP port.')
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`
}

function explainListenError(error: unknown, { port, host }: StartOptions): unknown {
  const code = (error as { code?: string }).code
  if (code === 'EADDRINUSE') {
    return new ListenError(
      `Port ${port} is already in use (another server is running there?). Stop it, or start this one on another port: PORT=${port + 1}`,
    )
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new ListenError(
      `Cannot listen on host "${host}": it is not an address of this computer.`,
    )
  }
  return error
}
