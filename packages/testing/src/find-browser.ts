import { isExecutable, onPath } from '@kitchen/servers'

/** A browser to drive: `chromium.launch({ executablePath, args })` (playwright-core). */
export interface FoundBrowser {
  executablePath: string
  /** `--no-sandbox` when running as root: Chromium refuses to start as root without it. */
  args: string[]
}

/** No browser was found: why, and how to install one. Tests report themselves skipped with it. */
export interface NoBrowser {
  reason: string
}

export interface FindBrowserOptions {
  /** Where to read KITCHEN_BROWSER and PATH; `process.env` when left out. */
  env?: Record<string, string | undefined>
  /** playwright-core's `chromium`: its own download is the last place looked in. */
  playwright?: { executablePath(): string }
  /** Running as root? Asks the process when left out. */
  root?: boolean
}

/** The names a Chromium-like browser goes by on the PATH, in the order they are tried. */
export const BROWSER_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
]

export const HOW_TO_INSTALL =
  'Install Chromium to run them: `apt-get install chromium` (Debian, Ubuntu), ' +
  '`brew install --cask chromium` (macOS) or `npx playwright install chromium`, ' +
  'or set KITCHEN_BROWSER to the path of a Chromium or Chrome executable.'

/**
 * Find a browser for the tests that drive a page: the executable named by KITCHEN_BROWSER
 * (a path or a name on the PATH), else the first of BROWSER_NAMES on the PATH, else
 * Playwright's own download (`npx playwright install chromium`). Looks at files only: nothing
 * is started or downloaded.
 *   const browser = findBrowser({ playwright: chromium })
 *   t.test('…', { skip: 'reason' in browser && browser.reason }, async (t) => …)
 */
export function findBrowser(options: FindBrowserOptions = {}): FoundBrowser | NoBrowser {
  const env = options.env ?? process.env
  const root = options.root ?? process.getuid?.() === 0
  const found = (executablePath: string): FoundBrowser => ({
    executablePath,
    args: root ? ['--no-sandbox'] : [],
  })

  const named = env.KITCHEN_BROWSER
  if (named) {
    const path = onPath(named, env)
    // Named but not there: say so, rather than quietly testing with some other browser.
    if (!path) {
      return {
        reason: `KITCHEN_BROWSER is "${named}", which is not an executable: set it to the path of a Chromium or Chrome executable, or leave it out.`,
      }
    }
    return found(path)
  }
  for (const name of BROWSER_NAMES) {
    const path = onPath(name, env)
    if (path) return found(path)
  }
  const downloaded = playwrightDownload(options.playwright)
  if (downloaded) return found(downloaded)
  return { reason: `No Chromium or Chrome was found for the browser tests. ${HOW_TO_INSTALL}` }
}

/** Where Playwright keeps the Chromium it downloaded, if it did. */
function playwrightDownload(playwright: FindBrowserOptions['playwright']): string | undefined {
  let path: string
  try {
    path = playwright?.executablePath() ?? ''
  } catch {
    return undefined // this Playwright knows no Chromium build for this system
  }
  return path && isExecutable(path) ? path : undefined
}
