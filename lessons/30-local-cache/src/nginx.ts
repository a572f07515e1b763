import { readFileSync } from 'node:fs'

/** Where NGINX listens, and the two copies of the app behind it: a port here, or host:port. */
export interface Ports {
  host: string
  port: number
  a: number | string
  b: number | string
}

/** The lesson's nginx.conf, with its {{…}} filled in: what goes inside `http { }`. */
export function nginxConfig({ host, port, a, b }: Ports): string {
  const copy = (at: number | string) => (typeof at === 'number' ? `127.0.0.1:${at}` : at)
  const values = { HOST: host, PORT: port, COPY_A: copy(a), COPY_B: copy(b) }
  const template = readFileSync(new URL('../nginx.conf', import.meta.url), 'utf8')
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) =>
    String(values[name as keyof typeof values]),
  )
}
