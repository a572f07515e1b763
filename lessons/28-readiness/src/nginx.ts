import { readFileSync } from 'node:fs'

/** Where NGINX listens, and the ports of the two copies of the app behind it. */
export interface Ports {
  host: string
  port: number
  a: number
  b: number
}

/** The lesson's nginx.conf, with its {{…}} filled in: what goes inside `http { }`. */
export function nginxConfig({ host, port, a, b }: Ports): string {
  const values: Record<string, string | number> = { HOST: host, PORT: port, PORT_A: a, PORT_B: b }
  const template = readFileSync(new URL('../nginx.conf', import.meta.url), 'utf8')
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]))
}
