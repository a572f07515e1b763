// Compile one of a lesson's TypeScript programs (src/server.ts …) and everything it imports into
// one JavaScript file, for runScript (index.ts). Run as `node bundle-script.mjs <entry.ts>
// <out.mjs>`: a process of its own, because esbuild's plugins need its asynchronous API and
// runScript is synchronous.
//
// Why: a server start under `node --import=tsx` spends most of its CPU finding, reading and
// compiling some 600 files (the lesson's, Fastify's, pg's …), with tsx's hooks in front of each.
// One file, run by plain node, starts in about a third of that. A test that starts the server a
// dozen times, in every later lesson, pays that a dozen times.
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

/**
 * Left out of the bundle, loaded by node as usual: optional add-ons that are not installed
 * (pg-native), and pino-pretty, which pino loads by name in a worker thread.
 */
const EXTERNAL = ['pg-native', 'pino-pretty']

const [entry, outfile] = process.argv.slice(2)
const { warnings } = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  external: EXTERNAL,
  // The packages written as CommonJS call require() for node's own modules: give them one.
  banner: {
    js: "import { createRequire as __kitchenRequire } from 'node:module'; const require = __kitchenRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'kitchen',
      setup(build) {
        // Each file keeps its own location: `new URL('../.env', import.meta.url)` in a lesson,
        // or `join(__dirname, 'static')` in a package, still finds what it finds when the file
        // runs on its own.
        build.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, async ({ path }) => {
          let contents = await readFile(path, 'utf8')
          const loader = path.endsWith('.ts') ? 'ts' : 'js'
          if (contents.includes('import.meta.url')) {
            contents = contents.replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(path).href),
            )
          }
          if (
            /\b__(dirname|filename)\b/.test(contents) &&
            !/^\s*import\s|^\s*export\s/m.test(contents)
          ) {
            // CommonJS: esbuild wraps each such file in a function, so these stay its own.
            contents = `var __filename = ${JSON.stringify(path)}, __dirname = ${JSON.stringify(dirname(path))};\n${contents}`
          }
          return { contents, loader, resolveDir: dirname(path) }
        })
      },
    },
  ],
})
// A file loaded by a computed name (`await import(file)`, as runTestFiles does) is not in the
// bundle, and plain node cannot load it if it is TypeScript: say no, and runScript uses tsx.
// (Packages from npm do that too, for optional parts: that is theirs to handle.)
const ours = (warning) => !warning.location?.file.includes('node_modules')
if (warnings.some((warning) => ours(warning) && /will not be bundled/.test(warning.text))) {
  process.exit(2)
}
