import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, launchBrowser, screenshot, type TestBrowser } from './support/browser.ts'
import { startDashboardServer, type DashboardServer } from './support/dashboard-server.ts'
import { signIn } from './support/sign-in.ts'

/**
 * The dashboard in real Chromium against a real `chorus serve` filled with a small demo brand
 * (300 people, 14 days) through the tracking APIs. Each test asserts on what the page shows and
 * that the page logged no errors, and saves a screenshot under test-output/web/.
 */
describe.skipIf(!browserAvailable)('dashboard in Chromium on the demo brand', () => {
  let chorus: DashboardServer
  let browser: TestBrowser

  beforeAll(async () => {
    chorus = await startDashboardServer({ demo: { people: 300, days: 14, seed: 7 }, demoCampaign: true })
    await chorus.createUser({ name: 'amy', displayName: 'Amy Wang', role: 'admin', department: 'marketing', password: 'launch-day-2026' })
    // A few events now, so "today" has some whatever the hour in Shanghai.
    const now = new Date().toISOString()
    await chorus.track([
      { type: 'track', userId: 'today-1', event: 'Message Delivered', timestamp: now, properties: { channel: 'sms' } },
      { type: 'track', userId: 'today-1', event: 'Message Clicked', timestamp: now, properties: { channel: 'sms' } },
      { type: 'track', userId: 'today-1', event: 'Product Viewed', timestamp: now, properties: { sku: 'tea-1' } },
    ])
    browser = await launchBrowser(chorus.url)
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await chorus?.stop()
  })

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${chorus.url}/api/v1${path}`, { ...init, headers: { ...chorus.bearer, 'content-type': 'application/json', ...(init.headers ?? {}) } })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  it('signs in and shows the overview with this week’s results', async () => {
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
    expect(await page.getByText('Good to see you, Amy Wang.').count()).toBe(1)
    const kpis = page.getByTestId('week-kpis')
    await kpis.waitFor()
    expect(await kpis.textContent()).toMatch(/Revenue, last 7 days.*CN¥/)
    await page.getByRole('heading', { name: 'Largest audiences' }).waitFor()
    // Today's events by channel: the chart names the channels the summary counts.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    let summary = { total: 0, byChannel: [] as Array<{ channel: string | null; events: number }> }
    await expect.poll(async () => (summary = await api(`/events/summary?from=${today}&to=${today}`)).byChannel.find((r) => r.channel === 'sms')?.events ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(2)
    await page.reload()
    const events = page.getByRole('img', { name: 'Today’s events by channel' })
    await events.waitFor()
    await expect.poll(async () => (await events.locator('svg').textContent()) ?? '').toContain('SMS')
    expect(await events.locator('svg').textContent()).toContain('No channel')
    expect(summary.total).toBeGreaterThanOrEqual(3)
    const touches = summary.byChannel.reduce((sum, r) => sum + (r.channel === null ? 0 : r.events), 0)
    expect(await page.getByTestId('events-total').textContent()).toContain(`${summary.total.toLocaleString('en')} events today; ${touches.toLocaleString('en')} of them came through a channel`)
    await screenshot(page, 'overview')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('switches to Chinese, formats for the locale, and remembers the choice after a reload', async () => {
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN')
    await page.getByRole('heading', { name: '总览', level: 1 }).waitFor()
    expect(await page.getByRole('navigation').textContent()).toContain('客户')
    await page.getByTestId('week-kpis').waitFor()
    expect(await page.getByTestId('week-kpis').textContent()).toMatch(/近 7 天收入¥/)
    await page.reload()
    await page.getByRole('heading', { name: '总览', level: 1 }).waitFor()
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('zh-CN')
    await screenshot(page, 'overview-zh-CN')
    await page.getByRole('combobox', { name: '语言' }).selectOption('en')
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('finds a customer by phone number and shows their timeline across channels', async () => {
    // Someone whose latest events came through more than one channel.
    const withPhone = await api<{ items: Array<{ id: string; displayName: string; identities: Array<{ type: string; value: string }> }> }>('/profiles?identifierType=phone&limit=200')
    let person: (typeof withPhone.items)[number] | undefined
    for (const candidate of withPhone.items) {
      const latest = await api<{ items: Array<{ channel: string | null }> }>(`/profiles/${candidate.id}/events?limit=50`)
      if (new Set(latest.items.map((e) => e.channel).filter(Boolean)).size >= 2) {
        person = candidate
        break
      }
    }
    if (!person) throw new Error('the demo brand has no customer with a phone number seen on two channels')
    const phone = person.identities.find((i) => i.type === 'phone')!.value.replace(/^\+86/, '')
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.getByRole('navigation').getByRole('link', { name: 'Customers' }).click()
    await page.getByRole('searchbox', { name: /Search by phone/ }).fill(phone)
    await page.getByRole('link', { name: person.displayName }).first().click()
    await page.getByRole('heading', { name: person.displayName, level: 1 }).waitFor()
    expect(await page.getByRole('heading', { name: 'Identifiers' }).locator('..').textContent()).toContain(`+86${phone}`)
    const timeline = page.getByTestId('timeline')
    await timeline.locator('li').first().waitFor()
    const events = await api<{ items: Array<{ channel: string | null }> }>(`/profiles/${person.id}/events?limit=50`)
    expect(await timeline.locator('li').count()).toBe(events.items.length)
    const channels = new Set(events.items.map((e) => e.channel).filter(Boolean))
    expect(channels.size).toBeGreaterThanOrEqual(2)
    expect(await timeline.locator('.channel-icon').count()).toBe(events.items.length)
    for (const channel of channels) expect(await page.locator(`[data-testid="timeline"] [role="img"][aria-label*="${channel}"], [data-testid="timeline"] .muted`).count()).toBeGreaterThan(0)
    await screenshot(page, 'customer-360')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('builds an audience with the rule builder and shows its size', async () => {
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.goto('/audiences/new')
    await page.getByLabel('Name', { exact: true }).fill('Buyers in the last 14 days')
    await page.getByRole('button', { name: '+ Did an event' }).click()
    await page.getByLabel('Event name').fill('Order Completed')
    await page.getByLabel('Window length').fill('14')
    const definition = { all: [{ performed: { event: 'Order Completed', within: '14d' } }] }
    const expected = await api<{ size: number }>('/audiences/estimate', { method: 'POST', body: JSON.stringify({ definition, sample: 0 }) })
    expect(expected.size).toBeGreaterThan(0)
    const size = page.getByTestId('estimate-size')
    await expect.poll(async () => (await size.textContent().catch(() => '')) ?? '', { timeout: 15_000 }).toContain(`${expected.size.toLocaleString('en')} `)
    expect(await page.getByTestId('estimate-sample').locator('li').count()).toBe(Math.min(8, expected.size))
    await screenshot(page, 'audience-builder')
    await page.getByRole('button', { name: 'Create audience' }).click()
    await page.getByRole('heading', { name: 'Buyers in the last 14 days', level: 1 }).waitFor()
    await page.getByText(`Membership up to date: ${expected.size.toLocaleString('en')} people match`).waitFor({ timeout: 30_000 })
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('compares attribution models per channel in a chart and a table', async () => {
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.goto('/analytics')
    const table = page.getByTestId('attribution-table')
    await table.waitFor({ timeout: 30_000 })
    const headers = await table.locator('thead th').allTextContents()
    expect(headers).toEqual(expect.arrayContaining(['First touch', 'Last touch', 'Linear', 'Markov chain', 'Shapley']))
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(1)
    // The chart draws one bar series per model, in SVG, with the models in its legend.
    const chart = page.locator('.chart svg').first()
    await chart.waitFor()
    await expect.poll(async () => (await chart.textContent()) ?? '').toContain('Markov chain')
    await screenshot(page, 'attribution')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('opens the demo brand’s launch campaign: Gantt with its critical path, and the review', async () => {
    const campaigns = await api<{ items: Array<{ id: string; name: string }> }>('/campaigns?limit=50')
    const demo = campaigns.items.find((c) => c.name === '活力健康新品上市')!
    const schedule = await api<{ criticalTasks: string[]; criticalPath: string[]; gantt: { rows: Array<{ id: string; name: string }> } }>(`/campaigns/${demo.id}/schedule`)
    const review = await api<{ goals: Array<{ statement: string; verdict: string }> }>(`/campaigns/${demo.id}/review`)
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click()
    await page.getByRole('link', { name: '活力健康新品上市' }).click()
    await page.getByRole('button', { name: '3. Execution' }).click()
    const gantt = page.getByTestId('gantt')
    await gantt.waitFor()
    expect(await gantt.locator('[data-task]').count()).toBe(schedule.gantt.rows.length)
    const critical = await gantt.locator('[data-critical="true"]').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(name: string): string | null }).getAttribute('data-task')))
    expect(critical.sort()).toEqual([...schedule.criticalTasks].sort())
    const names = schedule.criticalPath.map((id) => schedule.gantt.rows.find((r) => r.id === id)!.name)
    expect(await page.getByTestId('critical-path').textContent()).toContain(names.join(' → '))
    await screenshot(page, 'campaign-gantt')
    await page.getByRole('button', { name: '5. Review' }).click()
    const shown = page.getByTestId('review')
    await shown.waitFor({ timeout: 30_000 })
    const text = (await shown.textContent()) ?? ''
    for (const goal of review.goals) expect(text).toContain(goal.statement)
    expect(text).toContain(review.goals.some((g) => g.verdict === 'missed') ? 'Missed' : 'Achieved')
    await screenshot(page, 'campaign-review')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('signs in with the admin token chorus init printed', async () => {
    const page = await browser.newPage()
    await page.context().clearCookies()
    await page.goto('/')
    await page.getByRole('button', { name: 'Sign in with an admin token instead' }).click()
    await page.getByLabel('Admin token').fill(chorus.adminToken)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
    expect(await page.getByRole('banner').textContent()).toContain('Admin token')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('opens every page from the menu without an error', async () => {
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    const pages = [
      { link: 'Customers', heading: 'Customers', shot: 'customers' },
      { link: 'Audiences', heading: 'Audiences', shot: 'audiences' },
      { link: 'Journeys', heading: 'Journeys', shot: 'journeys' },
      { link: 'Content', heading: 'Content', shot: 'content' },
      { link: 'Campaigns', heading: 'Campaigns', shot: 'campaigns' },
      { link: 'Analytics', heading: 'Analytics', shot: 'analytics' },
      { link: 'Settings', heading: 'Settings', shot: 'settings' },
    ]
    for (const p of pages) {
      await page.getByRole('navigation').getByRole('link', { name: p.link, exact: true }).click()
      await page.getByRole('heading', { name: p.heading, level: 1 }).waitFor()
      // Wait for the page's data: no spinner left in the main area.
      await expect.poll(async () => page.locator('main [role="status"].spinner').count(), { timeout: 30_000 }).toBe(0)
      await screenshot(page, `page-${p.shot}`)
    }
    for (const tab of ['Identity rules', 'Channel providers', 'Users & roles', 'Channel grouping', 'Conversions']) {
      await page.getByRole('tab', { name: tab }).click()
      await expect.poll(async () => page.locator('main [role="status"].spinner').count(), { timeout: 30_000 }).toBe(0)
      await screenshot(page, `page-settings-${tab.toLowerCase().replace(/\W+/g, '-')}`)
    }
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('sends a broadcast to an audience and follows its progress to the end', async () => {
    const definition = { all: [{ performed: { event: 'Order Completed', within: '14d' } }] }
    const audience = await api<{ audience: { id: string } }>('/audiences', { method: 'POST', body: JSON.stringify({ name: 'Broadcast buyers', definition }) })
    let size = 0
    await expect.poll(async () => (size = (await api<{ size: number }>(`/audiences/${audience.audience.id}`)).size), { timeout: 30_000 }).toBeGreaterThan(0)
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.goto('/journeys')
    await page.getByRole('tab', { name: 'Broadcasts' }).click()
    await page.getByRole('button', { name: 'New broadcast' }).first().click()
    const form = page.getByRole('form', { name: 'New broadcast' })
    await form.getByLabel('Name', { exact: true }).fill('Thank-you note')
    await form.getByLabel('Audience').selectOption(audience.audience.id)
    await form.getByLabel('Channel').selectOption('inbox')
    await form.getByLabel('Kind of message').selectOption('transactional')
    await form.getByLabel('Message', { exact: true }).fill('Thank you for your order, {{ traits.name }}!')
    await form.getByRole('button', { name: 'Send broadcast' }).click()
    const row = page.getByRole('row', { name: /Thank-you note/ })
    await row.waitFor()
    await expect.poll(async () => row.getByText('Completed').count(), { timeout: 60_000 }).toBe(1)
    const list = await api<{ items: Array<{ id: string; name: string; total: number; counts: { sent: number } }> }>('/broadcasts?limit=10')
    const sent = list.items.find((b) => b.name === 'Thank-you note')!
    expect(sent.total).toBe(size)
    const bar = row.getByRole('progressbar')
    expect(await bar.getAttribute('aria-valuenow')).toBe('100')
    expect(await bar.textContent()).toContain(`${size.toLocaleString('en')} of ${size.toLocaleString('en')} handled`)
    expect(await row.textContent()).toContain(`${sent.counts.sent.toLocaleString('en')} sent`)
    await screenshot(page, 'broadcast-progress')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('trains a customer model from Analytics and shows how the run ended', async () => {
    const page = await browser.newPage()
    await signIn(page, 'amy', 'launch-day-2026')
    await page.goto('/analytics?tab=predictions')
    await page.getByRole('button', { name: 'Train purchase propensity' }).click()
    const row = page.getByRole('row', { name: /Purchase propensity/ }).first()
    await row.waitFor()
    await expect.poll(async () => row.getByText(/^(Done|Failed)$/).count(), { timeout: 60_000 }).toBe(1)
    const runs = await api<{ items: Array<{ status: string; error: string | null; result: { holdout: { auc: number }; scored: number } | null }> }>('/measurement/models?kind=propensity&limit=1')
    const run = runs.items[0]!
    const text = (await row.textContent()) ?? ''
    if (run.status === 'succeeded') {
      expect(text).toContain(`Hold-out AUC ${run.result!.holdout.auc.toLocaleString('en', { maximumFractionDigits: 3 })}`)
      expect(text).toContain(`${run.result!.scored.toLocaleString('en')} people scored`)
    } else {
      expect(run.status).toBe('failed')
      expect(text).toContain(`The model could not be fitted: ${run.error}`)
    }
    await screenshot(page, 'analytics-predictions')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('is usable on a phone: the menu opens and leads to the pages', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await signIn(page, 'amy', 'launch-day-2026')
    expect(await page.getByRole('link', { name: 'Customers' }).isVisible()).toBe(false)
    await page.getByRole('img', { name: 'Today’s events by channel' }).waitFor()
    // Nothing wider than the screen: the page never scrolls sideways.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await screenshot(page, 'phone-overview')
    await page.getByRole('button', { name: 'Menu' }).click()
    await page.getByRole('link', { name: 'Customers' }).click()
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor()
    await page.getByRole('table').waitFor()
    await screenshot(page, 'phone-customers')
    expect(page.errors).toEqual([])
    await page.close()
  })
})
