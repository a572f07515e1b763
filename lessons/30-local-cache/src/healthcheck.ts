// The image's HEALTHCHECK (see the Dockerfile): Docker runs it inside the container every few
// seconds. Exit code 0 when this copy's GET /ready answers 200 within 2 seconds, 1 otherwise.
// With node, not curl: slim images have no curl.
const url = `http://127.0.0.1:${process.env.PORT ?? 3000}/ready`
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
  console.log(res.status, await res.text()) // docker inspect shows the last few
  process.exitCode = res.ok ? 0 : 1
} catch (error) {
  console.log(`${url}: ${(error as Error).cause ?? error}`)
  process.exitCode = 1
}
