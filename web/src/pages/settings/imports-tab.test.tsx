// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { setUpTexts } from '../../test-setup.ts'
import { SessionProvider, useSession } from '../../api/session.tsx'
import SettingsPage from './settings-page.tsx'
import { ImportsTab } from './imports-tab.tsx'
import { ImportProgress } from './import-progress.tsx'
import { csvHeader, guessTarget, mappingSpec, type ImportRecord } from './import-types.ts'

const ORDERS = '\uFEFF订单号,手机号,"门店, 城市",实付金额\nA1001,13800138000,"上海, 静安店",199.00\nA1002,13800138000\n'

const running: ImportRecord = {
  id: 'imp_1',
  name: 'orders.csv',
  format: 'csv',
  settings: { map: 'messageId=订单号', type: 'track', event: 'Order Completed', timezone: 'Asia/Shanghai' },
  state: 'running',
  bytesTotal: 4 * 1024 * 1024,
  bytesRead: 1024 * 1024,
  rowsRead: 12000,
  stored: 11990,
  duplicates: 0,
  suppressed: 0,
  rejected: 10,
  rowsPerSecond: 6000,
  rejections: [],
  error: null,
  createdBy: 'usr_1',
  createdAt: '2026-11-20T08:00:00Z',
  startedAt: '2026-11-20T08:00:00Z',
  finishedAt: null,
}
const done: ImportRecord = { ...running, state: 'done', bytesRead: running.bytesTotal, rowsRead: 40000, stored: 39999, rejected: 1, rejections: [{ line: 3, reason: 'has 2 fields; the header has 4' }], finishedAt: '2026-11-20T08:00:07Z' }

interface Call {
  key: string
  query: URLSearchParams
  contentType: string | undefined
  body: unknown
}

/** A stand-in for the server, keyed by method and path; each route may answer in turn from a list. */
function serve(routes: Record<string, () => unknown>) {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const parsed = new URL(url, 'http://localhost')
    const key = `${init?.method ?? 'GET'} ${parsed.pathname}`
    calls.push({ key, query: parsed.searchParams, contentType: (init?.headers as Record<string, string> | undefined)?.['content-type'], body: init?.body })
    const route = routes[key]
    if (!route) return new Response(JSON.stringify({ error: { code: 'NotFound', message: `No route ${key}` } }), { status: 404 })
    return new Response(JSON.stringify(route()), { status: 200, headers: { 'content-type': 'application/json' } })
  })
  return calls
}

function session(role: 'viewer' | 'marketer') {
  return { user: null, role, permissions: role === 'viewer' ? ['read'] : ['read', 'write', 'delete'], workspace: { id: 'ws', name: 'Demo', currency: 'CNY', timezone: 'Asia/Shanghai' }, csrfToken: 'csrf', via: 'session' }
}

function mount(node: React.ReactNode) {
  document.cookie = 'chorus_signed_in=1; Path=/'
  render(<SessionProvider>{node}</SessionProvider>)
}

describe('reading a CSV header in the browser', () => {
  it('drops the byte-order mark and keeps quoted names with commas whole', () => {
    expect(csvHeader(ORDERS)).toEqual(['订单号', '手机号', '门店, 城市', '实付金额'])
  })

  it('builds the mapping the API reads, leaving skipped columns out', () => {
    expect(mappingSpec([{ column: '订单号', target: 'messageId' }, { column: '手机号', target: 'phone' }, { column: '备注', target: 'skip' }, { column: '实付金额', target: 'property' }, { column: 'Member level', target: 'trait' }, { column: '实付', target: 'total' }])).toBe(
      'messageId=订单号,phone=手机号,properties.实付金额=实付金额,traits.Member_level=Member level,properties.total=实付,anonymousId=手机号',
    )
    expect(mappingSpec([{ column: 'uid', target: 'userId' }, { column: '手机号', target: 'phone' }])).toBe('userId=uid,phone=手机号')
    expect(mappingSpec([{ column: 'mail', target: 'email' }, { column: 'total', target: 'property' }])).toBe('email=mail,properties.total=total,anonymousId=mail')
  })

  it('starts a column whose name cannot be mapped as skipped, and one named like a target as that target', () => {
    expect(guessTarget('门店, 城市')).toBe('skip')
    expect(guessTarget('userId')).toBe('userId')
    expect(guessTarget('实付金额')).toBe('property')
  })
})

describe('imports tab', () => {
  beforeAll(() => setUpTexts('en'))
  afterEach(() => {
    cleanup()
    vi.unstubAllGlobals()
    window.history.replaceState(null, '', '/')
  })

  it('uploads a CSV with its column mapping, then follows the import to its report with the refused line', async () => {
    const answers = [running, done]
    let listed: ImportRecord[] = []
    const calls = serve({
      'GET /api/v1/session': () => session('marketer'),
      'GET /api/v1/imports': () => ({ items: listed, nextCursor: null }),
      'POST /api/v1/imports': () => {
        listed = [{ ...running, state: 'queued', bytesRead: 0, rowsRead: 0, stored: 0, rejected: 0 }]
        return listed[0]
      },
      'GET /api/v1/imports/imp_1': () => answers.shift() ?? done,
    })
    mount(
      <Gate>
        <ImportsTab />
      </Gate>,
    )
    await screen.findByText('Nothing imported yet')

    const file = new File([ORDERS], 'orders.csv', { type: 'text/csv' })
    fireEvent.change(screen.getByLabelText('File to import'), { target: { files: [file] } })
    const phone = await screen.findByLabelText('Where column 手机号 goes')
    expect((screen.getByLabelText('Where column 订单号 goes') as HTMLSelectElement).value).toBe('property')
    fireEvent.change(screen.getByLabelText('Where column 订单号 goes'), { target: { value: 'messageId' } })
    expect(screen.getByText('Every row needs someone to belong to: send a column to User ID, Anonymous ID, Phone or E-mail.')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Upload and import' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.change(phone, { target: { value: 'phone' } })
    expect(screen.getByText('No column goes to User ID or Anonymous ID, so each row is identified by “手机号” (sent as the anonymous ID too).')).toBeTruthy()
    expect((screen.getByLabelText('Where column 门店, 城市 goes') as HTMLSelectElement).value).toBe('skip')
    fireEvent.change(screen.getByLabelText('Event name'), { target: { value: 'Order Completed' } })
    fireEvent.click(screen.getByRole('button', { name: 'Upload and import' }))

    await waitFor(() => expect(calls.some((c) => c.key === 'POST /api/v1/imports')).toBe(true))
    const upload = calls.find((c) => c.key === 'POST /api/v1/imports')!
    expect(Object.fromEntries(upload.query)).toEqual({ format: 'csv', name: 'orders.csv', timezone: 'Asia/Shanghai', map: 'messageId=订单号,phone=手机号,properties.实付金额=实付金额,anonymousId=手机号', type: 'track', event: 'Order Completed' })
    expect(upload.contentType).toBe('text/csv')
    expect(upload.body).toBe(file)

    const bar = await screen.findByRole('progressbar', {}, { timeout: 3000 })
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('25'), { timeout: 3000 })
    expect(bar.textContent).toContain('1 of 4 MB read')
    expect(screen.getByTestId('import-imp_1').textContent).toContain('12,000 rows read · 11,990 stored')

    await waitFor(() => expect(screen.getByTestId('import-imp_1').textContent).toContain('Done'), { timeout: 4000 })
    const item = screen.getByTestId('import-imp_1')
    expect(within(item).queryByRole('progressbar')).toBeNull()
    expect(item.textContent).toContain('40,000 rows read · 39,999 stored · 0 already there · 1 refused')
    expect(item.textContent).toContain('Refused lines (1)')
    expect(item.textContent).toContain('Line 3: has 2 fields; the header has 4')
  })

  it('reads in Chinese, with the refused lines and an interrupted import’s advice', async () => {
    await setUpTexts('zh-CN')
    render(
      <SessionProvider>
        <ImportProgress item={{ ...done, state: 'interrupted', error: 'The server stopped while this file was being imported; send the file again (rows already stored are not stored twice).' }} />
      </SessionProvider>,
    )
    const text = screen.getByTestId('import-imp_1').textContent
    expect(text).toContain('已中断')
    expect(text).toContain('读取 40,000 行 · 存储 39,999 · 已存在 0 · 拒绝 1')
    expect(text).toContain('第 3 行:has 2 fields; the header has 4')
    expect(text).toContain('请重新发送该文件')
    expect(text).not.toContain('The server stopped')
    await setUpTexts('en')
  })

  it('shows the Imports tab in Settings to a marketer and hides it from a viewer', async () => {
    serve({ 'GET /api/v1/session': () => session('viewer'), 'GET /api/v1/sources': () => ({ items: [] }) })
    mount(
      <Gate>
        <SettingsPage />
      </Gate>,
    )
    await screen.findByRole('tab', { name: 'Sources & SDKs' })
    expect(screen.queryByRole('tab', { name: 'Imports' })).toBeNull()
    cleanup()
    vi.unstubAllGlobals()

    serve({ 'GET /api/v1/session': () => session('marketer'), 'GET /api/v1/sources': () => ({ items: [] }) })
    mount(
      <Gate>
        <SettingsPage />
      </Gate>,
    )
    expect(await screen.findByRole('tab', { name: 'Imports' })).toBeTruthy()
  })
})

/** Renders its children once the session has loaded, as the app's sign-in gate does. */
function Gate({ children }: { children: React.ReactNode }) {
  const { session } = useSession()
  return session ? <>{children}</> : null
}
