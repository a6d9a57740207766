import { describe, expect, it } from 'vitest'
import { customiseChannelProfile, fieldMatches, parseChannelProfile } from './channel-profile.ts'
import { DEFAULT_CHANNEL_PROFILES } from './default-channels.ts'

describe('channel profiles', () => {
  it('ships the documented limits with their units', () => {
    const rule = (channel: keyof typeof DEFAULT_CHANNEL_PROFILES, id: string) =>
      DEFAULT_CHANNEL_PROFILES[channel].rules.find((r) => r.id === id)
    expect(rule('wechat-article', 'title-length')).toMatchObject({ unit: 'chars', max: 32 })
    expect(rule('wechat-article', 'digest-length')).toMatchObject({ unit: 'chars', max: 128 })
    expect(rule('xiaohongshu-note', 'title-length')).toMatchObject({ unit: 'units', max: 20 })
    expect(rule('xiaohongshu-note', 'body-length')).toMatchObject({ unit: 'chars', max: 1000 })
    expect(rule('weibo-post', 'body-length')).toMatchObject({ max: 2000, recommended: 140 })
    expect(rule('douyin-caption', 'body-length')).toMatchObject({ recommended: 55 })
    expect(rule('sms', 'total-length')).toMatchObject({ fields: ['signature', 'body'], max: 500 })
    expect(rule('email', 'subject-length')).toMatchObject({ recommended: 35 })
    expect(rule('wechat-subscribe', 'thing-length')).toMatchObject({ fields: ['thing*'], max: 20 })
    expect(rule('baidu-search-ad', 'title-length')).toMatchObject({ unit: 'bytes', min: 8, max: 50 })
  })

  it('cannot be changed in place', () => {
    expect(() => {
      ;(DEFAULT_CHANNEL_PROFILES.sms.rules as unknown[]).push({})
    }).toThrow()
  })

  it('lets a brand replace a rule by id, add one and drop one', () => {
    const result = customiseChannelProfile(DEFAULT_CHANNEL_PROFILES['xiaohongshu-note'], {
      upsert: [
        { id: 'body-length', kind: 'length', fields: ['body'], unit: 'chars', max: 800 },
        { id: 'no-emoji-title', kind: 'pattern', mode: 'forbid', fields: ['title'], pattern: '\\p{Extended_Pictographic}', message: 'no emoji in titles' },
      ],
      remove: ['hashtags'],
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const ids = result.profile.rules.map((r) => r.id)
    expect(ids).toContain('no-emoji-title')
    expect(ids).not.toContain('hashtags')
    expect(result.profile.rules.find((r) => r.id === 'body-length')).toMatchObject({ max: 800 })
    expect(DEFAULT_CHANNEL_PROFILES['xiaohongshu-note'].rules.find((r) => r.id === 'body-length')).toMatchObject({ max: 1000 })
  })

  it.each([
    ['a length rule without a limit', { upsert: [{ id: 'x', kind: 'length', fields: ['title'], unit: 'chars' }] }, 'min, max or recommended'],
    ['an unknown unit', { upsert: [{ id: 'x', kind: 'length', fields: ['title'], unit: 'words', max: 3 }] }, ''],
    ['a broken regular expression', { upsert: [{ id: 'x', kind: 'pattern', mode: 'forbid', fields: ['body'], pattern: '([', message: 'm' }] }, 'not a valid regular expression'],
    ['removing a rule that does not exist', { remove: ['nope'] }, 'has no rule "nope"'],
  ])('rejects %s with a message', (_name, change, message) => {
    const result = customiseChannelProfile(DEFAULT_CHANNEL_PROFILES.sms, change)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => i.message).join(' | ')).toContain(message)
  })

  it('rejects two rules with one id', () => {
    const result = parseChannelProfile({
      id: 'poster',
      name: 'Poster',
      rules: [
        { id: 'a', kind: 'required', field: 'headline' },
        { id: 'a', kind: 'required', field: 'body' },
      ],
    })
    expect(result.ok).toBe(false)
  })

  it.each([
    ['thing*', 'thing1', true],
    ['thing*', 'thing12', true],
    ['thing*', 'things', false],
    ['title', 'title', true],
    ['title', 'title2', false],
  ])('selector %s matches %s: %s', (selector, field, expected) => {
    expect(fieldMatches(selector, field)).toBe(expected)
  })
})
