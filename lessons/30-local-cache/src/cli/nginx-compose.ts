/** `pnpm compose:nginx`: write nginx.compose.conf again, after a change to nginx.conf. */
import { writeFileSync } from 'node:fs'
import { composeNginxConfig } from '../nginx-compose.js'

writeFileSync(new URL('../../nginx.compose.conf', import.meta.url), composeNginxConfig())
console.log('Wrote nginx.compose.conf: compose.yaml gives it to NGINX.')
