// Compile one of a lesson's TypeScript programs (src/server.ts …) into one JavaScript file, for
// runScript (index.ts). Run as `node bundle-script.mjs <entry.ts> <out.mjs>`: a process of its
// own, because esbuild's plugins need its asynchronous API and runScript is synchronous.
//
// Why: `node --import=tsx` compiles as it loads, and its module hooks double the cost of loading
// Fastify and the rest. A test that starts the server a dozen times pays that a dozen times; a
// file compiled once, then run by plain node, starts in half the CPU time.
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const [entry, outfile] = process.argv.slice(2)
const { warnings } = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  plugins: [
    {
      name: 'kitchen',
      setup(build) {
        // Packages from npm stay outside: node loads them from node_modules, as always. Only the
        // lesson's own files and the repository's packages (@kitchen/…, TypeScript) go in.
        build.onResolve({ filter: /^[^./]/ }, ({ path }) => {
          if (path.startsWith('@kitchen/') || path.startsWith('file:')) return undefined
          return { path, external: true }
        })
        // Each file keeps its own import.meta.url, so `new URL('../.env', import.meta.url)`
        // still finds what it finds when the file runs on its own.
        build.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
          contents: (await readFile(path, 'utf8')).replaceAll(
            'import.meta.url',
            JSON.stringify(pathToFileURL(path).href),
          ),
          loader: 'ts',
        }))
      },
    },
  ],
})
// A file loaded by a computed name (`await import(file)`, as runTestFiles does) is not in the
// bundle, and plain node cannot load it if it is TypeScript: say no, and runScript uses tsx.
if (warnings.some((warning) => /will not be bundled/.test(warning.text))) process.exit(2)
