import { describe, expect, it } from 'vitest'
import { parseCampaignVariants, proseOf } from './variant.ts'

describe('parseCampaignVariants', () => {
  it('accepts variants and defaults their hashtags to none', () => {
    const result = parseCampaignVariants([{ id: 'v1', channel: 'sms', stage: 'decision', fields: { signature: '【和声】', body: '新品' } }])
    expect(result).toEqual({
      ok: true,
      variants: [{ id: 'v1', channel: 'sms', stage: 'decision', fields: { signature: '【和声】', body: '新品' }, hashtags: [] }],
    })
  })

  it.each([
    ['two variants with one id', [{ id: 'a' }, { id: 'a' }], '1.id', 'variant id "a" appears twice'],
    ['an unknown stage', [{ id: 'a', stage: 'purchase' }], '0.stage', ''],
    ['a field name with a space', [{ id: 'a', fields: { 'sub title': 'x' } }], '0.fields.sub title', 'letters, digits and _'],
    ['no variants at all', [], '(root)', ''],
  ])('rejects %s, saying where', (_name, rows, path, message) => {
    const base = { channel: 'sms', stage: 'awareness', fields: { body: 'x' } }
    const result = parseCampaignVariants((rows as object[]).map((row) => ({ ...base, ...row })))
    expect(result.ok).toBe(false)
    if (result.ok) return
    const issue = result.issues.find((i) => i.path === path)
    expect(issue, JSON.stringify(result.issues)).toBeDefined()
    expect(issue!.message).toContain(message)
  })
})

describe('proseOf', () => {
  it('leaves out links and blank fields and gives each hashtag its own field without # marks', () => {
    const prose = proseOf({
      id: 'v',
      channel: 'weibo-post',
      stage: 'awareness',
      fields: { body: '轻盈缓震', link: 'https://chorus.example', cta: '  ' },
      hashtags: ['#跑步#', '跑鞋'],
    })
    expect(prose).toEqual([
      { field: 'body', text: '轻盈缓震' },
      { field: 'hashtags[0]', text: '跑步' },
      { field: 'hashtags[1]', text: '跑鞋' },
    ])
  })
})
