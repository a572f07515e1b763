import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** The page's files (index.html, style.css, app.js): public/, next to src/. */
export const publicFolder = fileURLToPath(new URL('../public/', import.meta.url))

/**
 * The front end, served by the API itself: GET / answers public/index.html, GET /app.js
 * public/app.js, and so on, so the page and the API share one origin (no CORS, and the
 * refresh cookie goes along). The files are sent as they are: no build step.
 */
export async function page(app: FastifyInstance) {
  await app.register(fastifyStatic, {
    root: publicFolder,
    // One route per file found at start-up, rather than a catch-all GET /*: any other path
    // still reaches the one not-found handler, and its 404 in the one error shape.
    wildcard: false,
  })
}
