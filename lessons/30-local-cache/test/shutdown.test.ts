import { once } from 'node:events'
import { type AddressInfo, connect } from 'node:net'
import t from 'tap'
import { anonymousAppForTest } from './helpers.js'

/** A promise, and the function that settles it: for a test that decides when things happen. */
function signal() {
  let fire = () => {}
  const fired = new Promise<void>((resolve) => {
    fire = resolve
  })
  return { fire, fired }
}

t.test('a request that is still arriving when the server shuts down gets a 503', async (t) => {
  const arrived = signal()
  const closing = signal()
  const app = await anonymousAppForTest(t, {
    addRoutes: (app) => {
      app.post('/echo', async (request) => request.body)
      app.addHook('onRequest', async () => arrived.fire())
      app.addHook('preClose', async () => closing.fire())
    },
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk) => {
    answer += chunk
  })
  // The headers now, the body once the shutdown has begun: a slow client, a slow network.
  const body = JSON.stringify({ title: 'Late' })
  socket.write(
    `POST /echo HTTP/1.1\r\nHost: kitchen\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  )
  await arrived.fired
  const closed = app.close() // what Ctrl-C does, through close-with-grace
  await closing.fired
  socket.write(body)
  await Promise.all([closed, once(socket, 'close')])

  t.match(answer, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
  t.match(answer, /\r\nretry-after: 5\r\n/i, 'says when to try again')
  t.match(answer, /\r\nconnection: close\r\n/i)
  t.same(JSON.parse(answer.split('\r\n\r\n')[1] ?? ''), {
    statusCode: 503,
    code: 'SHUTTING_DOWN',
    error: 'Service Unavailable',
    message: 'The server is shutting down: retry.',
  })
})
