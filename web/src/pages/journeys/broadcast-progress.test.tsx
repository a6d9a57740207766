// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/react'
import { SessionProvider } from '../../api/session.tsx'
import { setUpTexts } from '../../test-setup.ts'
import { BroadcastProgress } from './broadcast-progress.tsx'
import type { Broadcast } from './broadcast-types.ts'

const base: Broadcast = {
  id: 'bc_1',
  name: 'Double 11 preview',
  audienceId: 'aud_1',
  status: 'sending',
  channel: 'sms',
  sendAt: '2026-11-10T02:00:00Z',
  localTime: null,
  rateLimit: null,
  total: 0,
  fannedOut: false,
  counts: { queued: 0, sending: 0, sent: 0, blocked: 0, failed: 0, cancelled: 0 },
  blockedByReason: {},
  delivered: 0,
  opened: 0,
  clicked: 0,
  createdAt: '2026-11-10T01:59:00Z',
  finishedAt: null,
}

const show = (b: Broadcast) =>
  render(
    <SessionProvider>
      <BroadcastProgress broadcast={b} />
    </SessionProvider>,
  )

describe('broadcast progress', () => {
  beforeAll(() => setUpTexts('en'))
  afterEach(cleanup)

  it('says it is finding the people before it knows how many there are', () => {
    show(base)
    expect(screen.getByRole('status').textContent).toContain('Finding the audience’s people')
    expect(screen.queryByRole('progressbar')).toBeNull()
  })

  it('counts sent, blocked, failed and cancelled messages as handled, out of everyone found', () => {
    show({ ...base, total: 2000, fannedOut: true, counts: { queued: 1000, sending: 0, sent: 800, blocked: 150, failed: 50, cancelled: 0 }, blockedByReason: { quiet_hours: 100, no_consent: 50 }, delivered: 700 })
    const bar = screen.getByRole('progressbar')
    expect(bar.getAttribute('aria-valuenow')).toBe('50')
    expect(bar.textContent).toContain('1,000 of 2,000 handled')
    const text = screen.getByTestId('broadcast-progress-bc_1').textContent
    expect(text).toContain('800 sent · 700 delivered · 0 opened · 0 clicked')
    expect(text).toContain('150 not sent: quiet_hours 100, no_consent 50')
    expect(text).toContain('50 failed')
  })

  it('shows no bar for a broadcast still waiting for its time', () => {
    show({ ...base, status: 'scheduled' })
    expect(screen.queryByRole('progressbar')).toBeNull()
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('reads in Chinese with Chinese number formatting', async () => {
    await setUpTexts('zh-CN')
    show({ ...base, total: 12000, fannedOut: true, counts: { queued: 0, sending: 0, sent: 12000, blocked: 0, failed: 0, cancelled: 0 }, status: 'completed' })
    expect(screen.getByRole('progressbar').textContent).toContain('已处理 12,000 / 12,000')
    await setUpTexts('en')
  })
})
