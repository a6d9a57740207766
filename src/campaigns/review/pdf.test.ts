import { describe, expect, it } from 'vitest'
import { renderPdf } from './pdf.ts'

describe('renderPdf', () => {
  it('says what to install when Chromium is not where it is expected', async () => {
    const out = await renderPdf('<p>复盘</p>', { executablePath: '/nonexistent/chromium' })
    expect(out).toEqual({ ok: false, kind: 'ChromiumMissing', message: expect.stringContaining('apt-get install -y chromium') })
  })
})
