import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../test/support/chorus.ts'
import { getWorkspace } from '../workspaces/index.ts'
import { MAX_FAILED_SIGN_INS, SESSION_IDLE_MS } from './index.ts'

interface Browser {
  cookie: string
  csrf: string
  setCookie: string[]
  body: Record<string, any>
}

const cookiesOf = (header: string | string[] | undefined) => (Array.isArray(header) ? header : header ? [header] : [])

describe.each(DIALECTS)('dashboard users and sessions on %s', (dialect) => {
  let chorus: TestChorus
  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
  })
  afterAll(() => chorus.close())

  const workspaceName = async (ws: TestWorkspace) => (await getWorkspace(chorus.ctx.database.db, ws.workspaceId))!.name

  async function createUser(ws: TestWorkspace, body: Record<string, unknown>) {
    return chorus.app.inject({ method: 'POST', url: '/api/v1/users', headers: ws.bearer, payload: body })
  }

  async function signIn(ws: TestWorkspace, name: string, password: string, headers: Record<string, string> = {}) {
    return chorus.app.inject({ method: 'POST', url: '/api/v1/session', headers, payload: { name, password, workspace: await workspaceName(ws) } })
  }

  async function browserFor(ws: TestWorkspace, name: string, password: string): Promise<Browser> {
    const res = await signIn(ws, name, password)
    expect(res.statusCode).toBe(200)
    const setCookie = cookiesOf(res.headers['set-cookie'])
    return { cookie: setCookie[0]!.split(';')[0]!, csrf: res.json().csrfToken, setCookie, body: res.json() }
  }

  it('signs in with a name and password into an HttpOnly SameSite=Lax cookie and answers who is signed in', async () => {
    const ws = await newWorkspace(chorus)
    expect((await createUser(ws, { name: 'Li.Na', displayName: '李娜', role: 'marketer', department: 'marketing', password: 'spring-launch-2026' })).statusCode).toBe(201)
    const browser = await browserFor(ws, 'li.na', 'spring-launch-2026')
    expect(browser.setCookie[0]).toMatch(/^chorus_session=cs_[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/)
    // The readable companion says only that someone signed in; it carries no secret.
    expect(browser.setCookie[1]).toMatch(/^chorus_signed_in=1; Path=\/; Max-Age=\d+; SameSite=Lax$/)
    expect(browser.body).toMatchObject({ user: { name: 'li.na', displayName: '李娜', role: 'marketer', department: 'marketing' }, permissions: ['read', 'write', 'delete'], via: 'session' })
    expect(browser.csrf).toMatch(/^csrf_/)
    const me = await chorus.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: browser.cookie } })
    expect(me.statusCode).toBe(200)
    expect(me.json()).toMatchObject({ user: { name: 'li.na' }, csrfToken: browser.csrf, workspace: { id: ws.workspaceId, currency: 'CNY' } })
    expect(JSON.stringify(me.json())).not.toContain('scrypt')
  })

  it('marks the cookie Secure when the request came over https through a proxy', async () => {
    const ws = await newWorkspace(chorus)
    await createUser(ws, { name: 'secure', role: 'viewer', password: 'behind-a-proxy' })
    const res = await signIn(ws, 'secure', 'behind-a-proxy', { 'x-forwarded-proto': 'https' })
    expect(cookiesOf(res.headers['set-cookie'])[0]).toMatch(/; HttpOnly; SameSite=Lax; Secure$/)
  })

  it('answers a wrong password and an unknown name alike', async () => {
    const ws = await newWorkspace(chorus)
    await createUser(ws, { name: 'zhang.wei', role: 'analyst', password: 'correct horse battery' })
    const wrong = await signIn(ws, 'zhang.wei', 'not the password')
    const unknown = await signIn(ws, 'nobody', 'not the password')
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json()).toEqual(unknown.json())
    expect(wrong.json().error.message).toBe('The user name or password is not right')
    expect(wrong.headers['set-cookie']).toBeUndefined()
  })

  it('refuses a state-changing request made with the cookie but without the CSRF token, and accepts it with the token', async () => {
    const ws = await newWorkspace(chorus)
    await createUser(ws, { name: 'boss', role: 'admin', password: 'admin-password-1' })
    const browser = await browserFor(ws, 'boss', 'admin-password-1')
    const body = { name: 'new.hire', role: 'viewer', password: 'welcome-aboard' }
    const forged = await chorus.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: browser.cookie }, payload: body })
    expect(forged.statusCode).toBe(403)
    expect(forged.json().error.code).toBe('CsrfTokenMissing')
    const wrongToken = await chorus.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: browser.cookie, 'x-csrf-token': 'csrf_guess' }, payload: body })
    expect(wrongToken.statusCode).toBe(403)
    const list = await chorus.app.inject({ method: 'GET', url: '/api/v1/users', headers: ws.bearer })
    expect(list.json().items.map((u: { name: string }) => u.name)).toEqual(['boss'])
    const real = await chorus.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf }, payload: body })
    expect(real.statusCode).toBe(201)
    // Bearer requests carry no cookie, so they need no CSRF token.
    const scripted = await createUser(ws, { name: 'script.user', role: 'viewer', password: 'welcome-aboard' })
    expect(scripted.statusCode).toBe(201)
  })

  it('lets a viewer read but not create, change or delete', async () => {
    const ws = await newWorkspace(chorus)
    await createUser(ws, { name: 'watcher', role: 'viewer', password: 'just-looking' })
    const viewer = await browserFor(ws, 'watcher', 'just-looking')
    expect(viewer.body.permissions).toEqual(['read'])
    const headers = { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }
    expect((await chorus.app.inject({ method: 'GET', url: '/api/v1/profiles', headers })).statusCode).toBe(200)
    const create = await chorus.app.inject({ method: 'POST', url: '/api/v1/sources', headers, payload: { name: 'sneaky' } })
    expect(create.statusCode).toBe(403)
    expect(create.json().error.message).toBe('The viewer role may not admin here')
    expect((await chorus.app.inject({ method: 'DELETE', url: '/api/v1/profiles/prf_x', headers })).statusCode).toBe(403)
    expect((await chorus.app.inject({ method: 'GET', url: '/api/v1/users', headers })).statusCode).toBe(403)
  })

  it('applies a role change to open sessions at once, and ends them when the user is disabled', async () => {
    const ws = await newWorkspace(chorus)
    const created = (await createUser(ws, { name: 'mover', role: 'viewer', password: 'moving-up-1' })).json()
    const browser = await browserFor(ws, 'mover', 'moving-up-1')
    const patch = (body: object) => chorus.app.inject({ method: 'PATCH', url: `/api/v1/users/${created.id}`, headers: ws.bearer, payload: body })
    expect((await patch({ role: 'marketer', department: 'sales' })).json()).toMatchObject({ role: 'marketer', department: 'sales' })
    const me = await chorus.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: browser.cookie } })
    expect(me.json().permissions).toEqual(['read', 'write', 'delete'])
    expect((await patch({ disabled: true })).json().disabled).toBe(true)
    const after = await chorus.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: browser.cookie } })
    expect(after.statusCode).toBe(401)
    const again = await signIn(ws, 'mover', 'moving-up-1')
    expect(again.statusCode).toBe(403)
    expect(again.json().error.code).toBe('UserDisabled')
  })

  it('ends a session idle for longer than the idle limit', async () => {
    const ws = await newWorkspace(chorus)
    await createUser(ws, { name: 'sleepy', role: 'viewer', password: 'nap-time-123' })
    const browser = await browserFor(ws, 'sleepy', 'nap-time-123')
    chorus.clock.advance(SESSION_IDLE_MS - 60_000)
    expect((await chorus.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: browser.cookie } })).statusCode).toBe(200)
    chorus.clock.advance(SESSION_IDLE_MS + 1)
    const expired = await chorus.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: browser.cookie } })
    expect(expired.statusCode).toBe(401)
    expect(expired.json().error.message).toBe('Your sign-in has ended; sign in again')
  })

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const ws = await newWorkspace(chorus)
    await createUser(ws, { name: 'leaver', role: 'analyst', password: 'see-you-later' })
    const browser = await browserFor(ws, 'leaver', 'see-you-later')
    const withoutToken = await chorus.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: browser.cookie } })
    expect(withoutToken.statusCode).toBe(403)
    const out = await chorus.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf } })
    expect(out.statusCode).toBe(200)
    expect(cookiesOf(out.headers['set-cookie'])[0]).toMatch(/^chorus_session=; Path=\/; Max-Age=0;/)
    expect(cookiesOf(out.headers['set-cookie'])[1]).toMatch(/^chorus_signed_in=; Path=\/; Max-Age=0;/)
    expect((await chorus.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: browser.cookie } })).statusCode).toBe(401)
  })

  it('signs in with an admin token, taking the token’s role', async () => {
    const ws = await newWorkspace(chorus, 'content_reviewer')
    const res = await chorus.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: ws.adminToken } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ user: null, role: 'content_reviewer', permissions: ['read', 'review'] })
    const bad = await chorus.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: 'ck_not-a-token' } })
    expect(bad.statusCode).toBe(401)
    expect(bad.json().error.message).toBe('That admin token is not valid')
  })

  it('locks a user out after repeated wrong passwords, and lets them in after the lockout', async () => {
    const ws = await newWorkspace(chorus)
    await createUser(ws, { name: 'target', role: 'viewer', password: 'the-right-one' })
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) expect((await signIn(ws, 'target', `guess-${i}`)).statusCode).toBe(401)
    const locked = await signIn(ws, 'target', 'guess-last')
    expect(locked.statusCode).toBe(429)
    expect(locked.json().error.message).toMatch(/try again in 15 minutes/)
    expect((await signIn(ws, 'target', 'the-right-one')).statusCode).toBe(429)
    chorus.clock.advance(15 * 60_000 + 1)
    expect((await signIn(ws, 'target', 'the-right-one')).statusCode).toBe(200)
  })

  it('keeps the last enabled admin, refuses duplicate names and weak passwords with reasons', async () => {
    const ws = await newWorkspace(chorus)
    const admin = (await createUser(ws, { name: 'only.admin', role: 'admin', password: 'keeper-of-keys' })).json()
    const demote = await chorus.app.inject({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, headers: ws.bearer, payload: { role: 'viewer' } })
    expect(demote.statusCode).toBe(409)
    expect(demote.json().error.code).toBe('LastAdmin')
    const dup = await createUser(ws, { name: 'ONLY.ADMIN', role: 'viewer', password: 'another-password' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error.message).toBe('There is already a user named "only.admin"; choose another sign-in name')
    const weak = await createUser(ws, { name: 'weak', role: 'viewer', password: 'short' })
    expect(weak.statusCode).toBe(400)
    expect(weak.json().error.message).toContain('at least 8 characters')
  })

  it('lists users filtered by role and department, searched by name, a page at a time', async () => {
    const ws = await newWorkspace(chorus)
    const people = [
      ['amy', 'marketer', 'marketing'],
      ['bob', 'viewer', 'sales'],
      ['cai', 'viewer', 'service'],
      ['dan', 'viewer', 'sales'],
    ] as const
    for (const [name, role, department] of people) await createUser(ws, { name, displayName: `${name.toUpperCase()} 同学`, role, department, password: 'password-123' })
    const get = async (query: string) => (await chorus.app.inject({ method: 'GET', url: `/api/v1/users?${query}`, headers: ws.bearer })).json()
    expect((await get('role=viewer&department=sales')).items.map((u: any) => u.name)).toEqual(['bob', 'dan'])
    expect((await get('q=CA')).items.map((u: any) => u.name)).toEqual(['cai'])
    const first = await get('limit=3')
    expect(first.items.map((u: any) => u.name)).toEqual(['amy', 'bob', 'cai'])
    const second = await get(`limit=3&cursor=${first.nextCursor}`)
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'dan' })], nextCursor: null })
  })
})
