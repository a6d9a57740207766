import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, launchBrowser, screenshot, type TestBrowser } from './support/browser.ts'
import { startDashboardServer, type DashboardServer } from './support/dashboard-server.ts'
import { signIn } from './support/sign-in.ts'

describe.skipIf(!browserAvailable)('dashboard security in Chromium', () => {
  let chorus: DashboardServer
  let browser: TestBrowser
  let profileId: string

  beforeAll(async () => {
    chorus = await startDashboardServer()
    await chorus.createUser({ name: 'viewer.vic', displayName: 'viewer.vic', role: 'viewer', password: 'only-looking-1' })
    await chorus.createUser({ name: 'admin.amy', displayName: 'admin.amy', role: 'admin', password: 'in-charge-of-it' })
    await chorus.track([{ type: 'identify', userId: 'xss-1', traits: { name: '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">', city: '杭州' } }])
    const lookup = await fetch(`${chorus.url}/api/v1/profiles/lookup?type=user_id&value=xss-1`, { headers: chorus.bearer })
    profileId = ((await lookup.json()) as { id: string }).id
    browser = await launchBrowser(chorus.url)
    // May build the dashboard first (under a minute) when web/dist is older than its sources.
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await chorus?.stop()
  })

  it('shows a viewer no create or delete controls, and the API refuses them anyway', async () => {
    const page = await browser.newPage()
    await signIn(page, 'viewer.vic', 'only-looking-1')
    await page.goto(`/customers/${profileId}`)
    await page.getByRole('heading', { name: 'Profile' }).waitFor()
    expect(await page.getByRole('button', { name: 'Delete customer' }).count()).toBe(0)
    await page.goto('/settings?tab=sources')
    await page.getByRole('heading', { name: 'Sources' }).waitFor()
    expect(await page.getByRole('button', { name: 'Create source' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
    expect(await page.getByRole('tab', { name: 'Users & roles' }).count()).toBe(0)
    await screenshot(page, 'security-viewer-settings')
    // No create controls on the lists either.
    for (const [path, heading, button] of [
      ['/audiences', 'Audiences', 'New audience'],
      ['/journeys', 'Journeys', 'New journey'],
      ['/journeys?tab=broadcasts', 'Journeys', 'New broadcast'],
      ['/campaigns', 'Campaigns', 'New campaign'],
    ] as const) {
      await page.goto(path)
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
      await expect.poll(async () => page.locator('main .spinner').count()).toBe(0)
      expect(await page.getByRole('button', { name: button }).count()).toBe(0)
      expect(await page.getByRole('link', { name: button }).count()).toBe(0)
    }
    expect(page.errors).toEqual([])

    // The same browser session (cookie and CSRF token) straight at the API: refused.
    const session = await (await page.context().request.get('/api/v1/session')).json()
    const create = await page.context().request.post('/api/v1/sources', { data: { name: 'viewer made this' }, headers: { 'x-csrf-token': session.csrfToken } })
    expect(create.status()).toBe(403)
    const remove = await page.context().request.delete(`/api/v1/profiles/${profileId}`, { headers: { 'x-csrf-token': session.csrfToken } })
    expect(remove.status()).toBe(403)
    const audience = await page.context().request.post('/api/v1/audiences', { data: { name: 'viewer audience', definition: { all: [{ trait: 'city', op: 'equals', value: '杭州' }] } }, headers: { 'x-csrf-token': session.csrfToken } })
    expect(audience.status()).toBe(403)
    const still = await fetch(`${chorus.url}/api/v1/profiles/${profileId}`, { headers: chorus.bearer })
    expect(still.status).toBe(200)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Chorus' }).waitFor()
    await page.close()
  })

  it('renders a trait holding <script> as text and never runs it', async () => {
    const page = await browser.newPage()
    await signIn(page, 'admin.amy', 'in-charge-of-it')
    await page.goto(`/customers/${profileId}`)
    const traits = page.getByTestId('traits')
    await traits.waitFor()
    expect(await traits.textContent()).toContain('<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('<script>')
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(await page.locator('main script, main img[src="x"]').count()).toBe(0)
    await screenshot(page, 'security-script-trait')
    expect(page.errors).toEqual([])
    await page.close()
  })

  it('refuses a cross-site form POST and a request without the CSRF token', async () => {
    const page = await browser.newPage()
    await signIn(page, 'admin.amy', 'in-charge-of-it')
    // An attacker's page on another site that submits a form to Chorus as soon as it loads.
    const attacker: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html')
      res.end(`<form id="f" method="POST" enctype="text/plain" action="${chorus.url}/api/v1/sources"><input name='{"name":"forged","x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`)
    })
    await new Promise<void>((done) => attacker.listen(0, 'localhost', done))
    const attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`
    try {
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/sources') && r.request().method() === 'POST')
      await page.goto(attackerUrl)
      const response = await answer
      // SameSite=Lax keeps the session cookie off a cross-site POST, so Chorus sees no one signed in
      // (the text/plain body would not pass validation either).
      expect((await response.request().allHeaders()).cookie ?? '').not.toContain('chorus_session')
      expect([400, 401, 403]).toContain(response.status())
    } finally {
      attacker.close()
    }
    // The signed-in browser's cookie without the token: refused with a reason.
    const bare = await page.context().request.post('/api/v1/sources', { data: { name: 'no token' } })
    expect(bare.status()).toBe(403)
    expect((await bare.json()).error.code).toBe('CsrfTokenMissing')
    const sources = (await (await fetch(`${chorus.url}/api/v1/sources`, { headers: chorus.bearer })).json()) as { items: Array<{ name: string }> }
    expect(sources.items.map((s: { name: string }) => s.name)).not.toContain('forged')
    expect(sources.items.map((s: { name: string }) => s.name)).not.toContain('no token')
    await page.close()
  })
})
