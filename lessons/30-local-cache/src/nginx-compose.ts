import { nginxConfig } from './nginx.js'

/** In the nginx image, this file is standard output: `docker compose logs nginx` shows it. */
export const ACCESS_LOG = '/var/log/nginx/access.log'

/**
 * nginx.compose.conf, NGINX's configuration in compose.yaml: nginx.conf filled in for NGINX on
 * port 80 of its container and the copies at their service names, its log to Docker's.
 */
export function composeNginxConfig(): string {
  const config = nginxConfig({ host: '0.0.0.0', port: 80, a: 'app-a:3000', b: 'app-b:3000' })
  const note = [
    '# Made from nginx.conf by `pnpm compose:nginx`: change that file, not this one. In the nginx',
    '# image, its /etc/nginx/nginx.conf includes this inside `http { }` (compose.yaml puts it there).',
  ]
  return `${note.join('\n')}\n${config.replace('access_log access.log', `access_log ${ACCESS_LOG}`)}`
}
