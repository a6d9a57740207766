import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

/**
 * Real headless Chromium for the dashboard's browser tests, driven by playwright-core. Without
 * /usr/bin/chromium the suites skip with one line saying so — unless CHORUS_REQUIRE_BROWSER=1
 * (CI), where a missing browser fails the run.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium'
export const browserAvailable = existsSync(CHROMIUM_PATH)

if (!browserAvailable) {
  if (process.env.CHORUS_REQUIRE_BROWSER === '1') throw new Error(`Chromium is required (CHORUS_REQUIRE_BROWSER=1) but ${CHROMIUM_PATH} does not exist; install it with: apt-get update && apt-get install -y chromium`)
  if (!(globalThis as any).__chorusBrowserSkipNoted) {
    ;(globalThis as any).__chorusBrowserSkipNoted = true
    console.warn(`Chromium not found at ${CHROMIUM_PATH}: skipping the dashboard browser tests (set CHORUS_REQUIRE_BROWSER=1 to fail instead).`)
  }
}

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
export const SCREENSHOTS = join(ROOT, 'test-output', 'web')

export interface TestBrowser {
  context: BrowserContext
  /** A new tab that records console errors and uncaught exceptions. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page & { errors: string[] }>
  close(): Promise<void>
}

/** Launches Chromium with a fresh profile (its own --user-data-dir, removed on close). */
export async function launchBrowser(baseURL: string, options: { locale?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'chorus-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    baseURL,
    locale: options.locale ?? 'en-US',
    viewport: { width: 1366, height: 820 },
    // Charts then draw without animation, so a screenshot shows the finished chart.
    reducedMotion: 'reduce',
  })
  context.setDefaultTimeout(15_000)
  return {
    context,
    async newPage(pageOptions = {}) {
      const page = (await context.newPage()) as Page & { errors: string[] }
      page.errors = []
      page.on('console', (message) => {
        if (message.type() === 'error') page.errors.push(`console: ${message.text()}`)
      })
      page.on('pageerror', (error) => page.errors.push(`page error: ${error.message}`))
      // Name the request behind a "Failed to load resource" console line.
      page.on('response', (response) => {
        if (response.status() >= 400) page.errors.push(`response: ${response.status()} ${response.request().method()} ${response.url()} ${response.request().postData() ?? ''}`)
      })
      if (pageOptions.viewport) await page.setViewportSize(pageOptions.viewport)
      return page
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Saves a full-page screenshot as test-output/web/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}
