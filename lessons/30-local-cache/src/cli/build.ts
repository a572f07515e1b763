/** `pnpm build`: the app in JavaScript, in dist/, as the Docker image runs it (src/build.ts). */
import { buildForImage } from '../build.js'

for (const file of await buildForImage()) console.log(`built ${file}`)
