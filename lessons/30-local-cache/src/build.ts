import { readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

const lesson = fileURLToPath(new URL('..', import.meta.url))

/**
 * Compile what the image runs, src/server.ts and src/healthcheck.ts, into JavaScript in dist/:
 * one file each, holding this lesson's code and the workspace's @kitchen packages (TypeScript
 * too). Packages from npm stay outside, imported from node_modules at run time.
 */
export async function buildForImage(outdir = `${lesson}/dist`): Promise<string[]> {
  const ours: Plugin = {
    name: 'kitchen',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, kind }) =>
        kind === 'entry-point' || path.startsWith('@kitchen/') ? undefined : { external: true },
      )
      // src/page.ts finds public/ with `new URL('../public/', import.meta.url)`: in each file,
      // import.meta.url becomes where that file is, seen from dist/, so it still does.
      build.onLoad({ filter: /\.ts$/ }, ({ path }) => {
        const from = JSON.stringify(relative(outdir, path).replaceAll('\\', '/'))
        const place = `new URL(${from}, import.meta.url).href`
        return {
          contents: readFileSync(path, 'utf8').replaceAll('import.meta.url', place),
          loader: 'ts',
        }
      })
    },
  }
  const { metafile } = await build({
    entryPoints: ['src/server.ts', 'src/healthcheck.ts'],
    absWorkingDir: lesson,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    plugins: [ours],
  })
  // The image installs `dependencies` only: every package the files import must be one of them.
  const { dependencies } = JSON.parse(readFileSync(`${lesson}/package.json`, 'utf8'))
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports)
  const names = imports.map(({ path }) => path.split('/', path.startsWith('@') ? 2 : 1).join('/'))
  const missing = [...new Set(names)].filter((name) => !isBuiltin(name) && !(name in dependencies))
  if (missing.length > 0) {
    throw new Error(`Imported, but not in package.json's dependencies: ${missing.join(', ')}`)
  }
  return Object.keys(metafile.outputs)
}
