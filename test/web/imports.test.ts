import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, launchBrowser, screenshot, type TestBrowser } from './support/browser.ts'
import { startDashboardServer, type DashboardServer } from './support/dashboard-server.ts'
import { signIn } from './support/sign-in.ts'

const ORDERS = '订单号,手机号,下单时间,实付金额,Store name\nA1001,13800138000,2026-10-01 12:30:00,199.00,静安店\nA1002,13800138000,2026-10-02 09:00:00\nA1003,13900000000,2026-10-02 10:00:00,59.90,杭州店\n'

describe.skipIf(!browserAvailable)('importing a file from Settings in Chromium', () => {
  let chorus: DashboardServer
  let browser: TestBrowser

  beforeAll(async () => {
    chorus = await startDashboardServer()
    await chorus.createUser({ name: 'marketer.mei', displayName: 'marketer.mei', role: 'marketer', password: 'bringing-history-in' })
    await chorus.createUser({ name: 'viewer.vic', displayName: 'viewer.vic', role: 'viewer', password: 'only-looking-1' })
    browser = await launchBrowser(chorus.url)
    // May build the dashboard first (under a minute) when web/dist is older than its sources.
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await chorus?.stop()
  })

  it('uploads an order export with its column mapping and shows the import to its refused line', async () => {
    const page = await browser.newPage()
    await signIn(page, 'marketer.mei', 'bringing-history-in')
    await page.goto('/settings?tab=imports')
    await page.getByRole('heading', { name: 'Import a file' }).waitFor()
    await page.getByText('Nothing imported yet').waitFor()
    await page.getByLabel('File to import').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(ORDERS) })
    await page.getByLabel('Where column 订单号 goes').selectOption('messageId')
    await page.getByLabel('Where column 手机号 goes').selectOption('phone')
    await page.getByLabel('Where column 下单时间 goes').selectOption('timestamp')
    await page.getByLabel('Where column 实付金额 goes').selectOption('total')
    await page.getByLabel('Event name').fill('Order Completed')
    await page.getByRole('button', { name: 'Upload and import' }).click()

    const item = page.locator('[data-testid^="import-imp_"]')
    await item.getByText('Done').waitFor()
    await expect.poll(async () => item.textContent()).toContain('3 rows read · 2 stored · 0 already there · 1 refused')
    await item.getByText('Refused lines (1)').click()
    await item.getByText('Line 3: has 3 fields; the header has 5').waitFor()
    await screenshot(page, 'settings-imports')
    expect(page.errors).toEqual([])

    // What the page imported is there: orders with their amounts, a column with a space kept under an API-safe name.
    const profile = (await (await fetch(`${chorus.url}/api/v1/profiles/lookup?type=phone&value=13800138000`, { headers: chorus.bearer })).json()) as { id: string }
    expect(profile).toMatchObject({ orderCount: 1, lifetimeRevenue: { amountMinor: 19900, currency: 'CNY' }, firstSeen: '2026-10-01T04:30:00.000Z' })
    const events = (await (await fetch(`${chorus.url}/api/v1/profiles/${profile.id}/events`, { headers: chorus.bearer })).json()) as { items: Array<{ properties: Record<string, unknown> }> }
    expect(events.items[0]!.properties).toMatchObject({ total: 199, Store_name: '静安店' })
    await page.close()
  })

  it('shows a viewer no Imports tab', async () => {
    const page = await browser.newPage()
    await signIn(page, 'viewer.vic', 'only-looking-1')
    await page.goto('/settings?tab=imports')
    await page.getByRole('heading', { name: 'Sources' }).waitFor()
    expect(await page.getByRole('tab', { name: 'Imports' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Upload and import' }).count()).toBe(0)
    expect(page.errors).toEqual([])
    await page.close()
  })
})
