// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { setUpTexts } from '../../test-setup.ts'
import { CapabilityProvider } from '../../api/capabilities.tsx'
import { SessionProvider } from '../../api/session.tsx'
import { MmmTab } from './mmm-tab.tsx'
import type { MmmRun } from './mmm-types.ts'

const curve = (beta: number, k: number) => Array.from({ length: 41 }, (_, i) => ({ spend: i * 50, response: (beta * i * 50) / (i * 50 + k), marginal: null, roi: null }))

const fitted: MmmRun = {
  id: 'mmm_1',
  status: 'fitted',
  progress: 1,
  stage: 'done',
  options: { outcome: 'revenue', cadence: 'day', iterations: 2000 },
  dataset: { from: '2025-03-01', to: '2025-05-29', cadence: 'day', periods: 90, currency: 'CNY', conversion: { key: 'purchase', name: 'Purchase' }, outcome: { name: 'revenue', total: 900_000 }, channels: [], notes: [] },
  report: {
    split: { train: { from: '2025-03-01', to: '2025-05-15', periods: 76 }, holdout: { from: '2025-05-16', to: '2025-05-29', periods: 14 } },
    metrics: { train: { r2: 0.91, nrmse: 0.07, mape: 0.06, periods: 76 }, holdout: { r2: 0.83, nrmse: 0.12, mape: 0.09, periods: 14 } },
    channels: [
      { channel: 'douyin', spend: 90_000, meanSpend: 1000, contribution: 300_000, share: 0.75, shareOfOutcome: 0.3, roi: 3.33, marginalRoi: 1.2, responseCurve: curve(8000, 1500) },
      { channel: 'weibo', spend: 45_000, meanSpend: 500, contribution: 100_000, share: 0.25, shareOfOutcome: 0.1, roi: 2.22, marginalRoi: 0.8, responseCurve: curve(3000, 800) },
    ],
    notes: [],
  },
  insufficientHistory: null,
  error: null,
  createdAt: '2026-11-20T08:00:00Z',
  finishedAt: '2026-11-20T08:01:00Z',
}

/**
 * A stand-in for the server's answers, keyed by method and path; records every request body so
 * the test can check what the page asked for.
 */
function serve(routes: Record<string, (body: any) => unknown>) {
  const calls: Array<{ key: string; body: any }> = []
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const path = new URL(url, 'http://localhost').pathname
    const key = `${init?.method ?? 'GET'} ${path}`
    const body = init?.body ? JSON.parse(String(init.body)) : undefined
    calls.push({ key, body })
    const route = routes[key]
    if (!route) return new Response(JSON.stringify({ error: { code: 'NotFound', message: `No route ${key}` } }), { status: 404 })
    return new Response(JSON.stringify(route(body)), { status: 200, headers: { 'content-type': 'application/json' } })
  })
  return calls
}

function session(role: string) {
  return { user: null, role, permissions: role === 'viewer' || role === 'analyst' ? ['read'] : ['read', 'write', 'delete'], workspace: { id: 'ws', name: 'Demo', currency: 'CNY', timezone: 'Asia/Shanghai' }, csrfToken: 'csrf', via: 'session' }
}

const openapi = { paths: { '/api/v1/measurement/mmm/fit': { post: {} } } }

function mount() {
  document.cookie = 'chorus_signed_in=1; Path=/'
  render(
    <SessionProvider>
      <CapabilityProvider>
        <MmmTab />
      </CapabilityProvider>
    </SessionProvider>,
  )
}

describe('media-mix tab', () => {
  beforeAll(() => setUpTexts('en'))
  afterEach(() => {
    cleanup()
    vi.unstubAllGlobals()
  })

  it('starts a fit, shows its progress, then the fit quality and each channel’s contribution and ROI', async () => {
    let polls = 0
    const calls = serve({
      'GET /api/v1/session': () => session('analyst'),
      'GET /api/openapi.json': () => openapi,
      'GET /api/v1/measurement/mmm/models': () => ({ items: [], nextCursor: null }),
      'POST /api/v1/measurement/mmm/fit': () => ({ id: 'mmm_1', status: 'queued' }),
      'GET /api/v1/measurement/mmm/models/mmm_1': () => (++polls === 1 ? { ...fitted, status: 'running', progress: 0.4, stage: 'searching', report: null } : fitted),
      'POST /api/v1/measurement/mmm/models/mmm_1/optimise': () => ({ basis: 'mmm', plan: { kind: 'planned', budget: 1500, currentBudget: 1500, currentResponse: 5000, recommendedResponse: 5400, uplift: 400, upliftRelativeToOutcome: 0.04, channels: [] } }),
      'POST /api/v1/measurement/mmm/models/mmm_1/what-if': () => ({ channels: [], totalSpend: 1500, totalResponse: 5000, currentSpend: 1500, currentResponse: 5000, change: 0, changeRelativeToOutcome: 0 }),
    })
    mount()
    expect(await screen.findByText('No media-mix model yet')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Explain'), { target: { value: 'conversions' } })
    fireEvent.click(screen.getByRole('button', { name: 'Fit model' }))
    const progress = await screen.findByRole('progressbar')
    expect(progress.getAttribute('aria-valuenow')).toBe('40')
    expect(progress.textContent).toContain('Searching carry-over and saturation')
    expect(calls.find((c) => c.key === 'POST /api/v1/measurement/mmm/fit')!.body).toMatchObject({ outcome: 'conversions', cadence: 'day', iterations: 2000 })

    const quality = await screen.findByTestId('mmm-quality', {}, { timeout: 3000 })
    expect(screen.queryByRole('progressbar')).toBeNull()
    expect(within(quality).getByText('0.83')).toBeTruthy()
    expect(within(quality).getByText('0.12')).toBeTruthy()
    const rows = within(screen.getByTestId('mmm-channels')).getAllByRole('row')
    expect(rows[1]!.textContent).toContain('3.33')
    expect(rows[1]!.textContent).toContain('75%')
    expect(rows[2]!.textContent).toContain('0.8')
  })

  it('asks the optimiser for the budget set on the slider within the limits typed per channel', async () => {
    const calls = serve({
      'GET /api/v1/session': () => session('viewer'),
      'GET /api/openapi.json': () => openapi,
      'GET /api/v1/measurement/mmm/models': () => ({ items: [fitted], nextCursor: null }),
      'GET /api/v1/measurement/mmm/models/mmm_1': () => fitted,
      'POST /api/v1/measurement/mmm/models/mmm_1/optimise': (body: { budget: number }) => ({
        basis: 'mmm',
        plan: {
          kind: 'planned', budget: body.budget, currentBudget: 1500, currentResponse: 5000, recommendedResponse: 5600, uplift: 600, upliftRelativeToOutcome: 0.06,
          channels: [
            { channel: 'douyin', currentSpend: 1000, recommendedSpend: body.budget - 400, change: body.budget - 1400, lower: 500, upper: 2000, atBound: null, currentResponse: 3200, recommendedResponse: 3900, recommendedMarginal: 1 },
            { channel: 'weibo', currentSpend: 500, recommendedSpend: 400, change: -100, lower: 400, upper: 1000, atBound: 'lower', currentResponse: 1800, recommendedResponse: 1700, recommendedMarginal: 1.1 },
          ],
        },
      }),
      'POST /api/v1/measurement/mmm/models/mmm_1/what-if': () => ({ channels: [], totalSpend: 1500, totalResponse: 5000, currentSpend: 1500, currentResponse: 5000, change: 0, changeRelativeToOutcome: 0 }),
    })
    mount()
    await screen.findByTestId('mmm-plan')
    // A viewer reads the model and plans with it, but is not offered a fit.
    expect(screen.queryByRole('button', { name: /Fit/ })).toBeNull()
    // Rows follow the model's channels: douyin, then weibo.
    fireEvent.change(screen.getAllByLabelText(/· At least$/)[1]!, { target: { value: '400' } })
    fireEvent.change(screen.getByLabelText(/Total budget per period/), { target: { value: '2000' } })
    await waitFor(() => expect(within(screen.getByTestId('mmm-plan')).getAllByRole('row')[1]!.textContent).toContain('¥1,600.00'), { timeout: 3000 })
    const last = calls.filter((c) => c.key.endsWith('/optimise')).at(-1)!.body
    expect(last.budget).toBe(2000)
    expect(last.bounds).toContainEqual({ channel: 'weibo', min: 400, max: 1000 })
    expect(last.bounds).toContainEqual({ channel: 'douyin', min: 500, max: 2000 })
    expect(within(screen.getByTestId('mmm-plan')).getAllByRole('row')[2]!.textContent).toContain('at its lower limit')
  })
})
