import { existsSync } from 'node:fs'

/**
 * Prints an HTML page to PDF with headless Chromium through playwright-core (Chromium's own
 * print-to-PDF, so CSS paged media, tables and CJK fonts come out as a browser shows them).
 * Chromium is a system package, not an npm one: without it the answer is a `ChromiumMissing`
 * value the API turns into 503 with what to install. `CHORUS_CHROMIUM_PATH` points elsewhere
 * (the Debian/Ubuntu package installs it where the default expects it).
 */
export const CHROMIUM_PATH = process.env.CHORUS_CHROMIUM_PATH || '/usr/bin/chromium'

export type PdfOutcome = { ok: true; pdf: Buffer } | { ok: false; kind: 'ChromiumMissing'; message: string }

/**
 * @example
 * const out = await renderPdf(retrospectiveHtml(markdown, 'Review'))
 * if (out.ok) writeFileSync('review.pdf', out.pdf)
 */
export async function renderPdf(html: string, options: { executablePath?: string } = {}): Promise<PdfOutcome> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH
  if (!existsSync(executablePath)) {
    return { ok: false, kind: 'ChromiumMissing', message: `PDF export needs Chromium at ${executablePath}; install it (Debian/Ubuntu: apt-get install -y chromium) or use the Markdown export` }
  }
  const { chromium } = await import('playwright-core')
  // --no-sandbox: containers commonly run as root, where Chromium's sandbox refuses to start.
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
  try {
    const page = await browser.newPage()
    await page.setContent(html, { waitUntil: 'load' })
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    return { ok: true, pdf: Buffer.from(pdf) }
  } finally {
    await browser.close()
  }
}
