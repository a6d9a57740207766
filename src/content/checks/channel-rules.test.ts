import { describe, expect, it } from 'vitest'
import { DEFAULT_CHANNEL_PROFILES, type DefaultChannelId } from '../default-channels.ts'
import type { Stage } from '../message-house.ts'
import { checkChannelRules, compileChannelProfile } from './channel-rules.ts'

function check(channel: DefaultChannelId, fields: Record<string, string>, options: { stage?: Stage; hashtags?: string[]; hasHouseCta?: boolean } = {}) {
  const variant = { id: 'v', channel, stage: options.stage ?? 'awareness', fields, hashtags: options.hashtags ?? [] }
  return checkChannelRules(variant, compileChannelProfile(DEFAULT_CHANNEL_PROFILES[channel]), { hasHouseCta: options.hasHouseCta ?? false })
}
const codes = (items: ReturnType<typeof check>) => items.map((i) => `${i.severity} ${i.code}`)

const CJK_20 = '轻盈缓震跑鞋上新轻盈缓震跑鞋上新轻盈缓震'

describe('Xiaohongshu title length (units: CJK 1, ASCII ½)', () => {
  it.each([
    ['20 CJK characters', CJK_20, 20, []],
    ['21 CJK characters', CJK_20 + '好', 21, ['block channel.length.max']],
    ['20 CJK + one ASCII letter', CJK_20 + 'a', 20.5, ['block channel.length.max']],
    // 'iPhone' is 6 × ½ = 3, 新品 2, 轻盈缓震跑鞋上新 8, 轻盈缓震跑鞋 6: 19 units.
    ['a mixed title under the limit', 'iPhone新品轻盈缓震跑鞋上新轻盈缓震跑鞋', 19, []],
  ])('%s', (_name, title, units, expected) => {
    const items = check('xiaohongshu-note', { title, body: '正文' }, { hashtags: ['跑步'] })
    expect(codes(items)).toEqual(expected)
    if (expected.length > 0) {
      expect(items[0]!.data).toMatchObject({ unit: 'units', length: units, max: 20 })
      // the highlight starts where the title passes 20 units
      expect(items[0]!.where[0]).toMatchObject({ field: 'title', start: 20, end: title.length })
    }
  })
})

describe('SMS segments and format', () => {
  it.each([
    // 【和声】 is 4 characters and 拒收请回复R 6.
    ['70 characters with the signature', '好'.repeat(60) + '拒收请回复R', ['info channel.sms.segments'], 1],
    ['71 characters with the signature', '好'.repeat(61) + '拒收请回复R', ['warn channel.sms.segments.recommended'], 2],
  ])('%s', (_name, body, expected, segments) => {
    const items = check('sms', { signature: '【和声】', body })
    expect(codes(items)).toEqual(expected)
    expect(items[0]!.data).toMatchObject({ encoding: 'ucs-2', segments })
  })

  it('shows the stray character that turns English copy into UCS-2', () => {
    // [Chorus] is 10 septets ([ and ] are GSM extension characters) and the body 103 characters:
    // one GSM-7 message, but the curly apostrophe makes it UCS-2 and 111 > 70 characters.
    const body = `Don’t miss ${'a'.repeat(70)} Reply STOP to opt out`
    const items = check('sms', { signature: '[Chorus]', body })
    expect(codes(items)).toEqual(['warn channel.sms.segments.recommended'])
    expect(items[0]!.data).toMatchObject({ encoding: 'ucs-2', length: 111, segments: 2 })
    expect(items[0]!.where).toMatchObject([{ field: 'body', start: 3, end: 4, text: '’' }])
    const straight = check('sms', { signature: '[Chorus]', body: body.replace('’', "'") })
    expect(codes(straight)).toEqual(['info channel.sms.segments'])
    expect(straight[0]!.data).toMatchObject({ encoding: 'gsm-7', length: 113, segments: 1 })
  })

  it.each([
    ['no signature', { body: '新品上市 拒收请回复R' }, 'block channel.required'],
    ['a signature without 【】', { signature: '和声', body: '新品上市 拒收请回复R' }, 'block channel.format.required'],
    ['【】 inside the body', { signature: '【和声】', body: '【限时】新品上市 拒收请回复R' }, 'block channel.format.forbidden'],
    ['no way to refuse more', { signature: '【和声】', body: '新品上市' }, 'warn channel.format.required'],
  ])('reports %s', (_name, fields, expected) => {
    expect(codes(check('sms', fields))).toContain(expected)
  })
})

describe('CTA, link and hashtags', () => {
  it('asks for a CTA only at the stages the rule names', () => {
    expect(codes(check('douyin-caption', { body: '轻盈缓震' }, { hashtags: ['跑步'] }))).toEqual([])
    expect(codes(check('douyin-caption', { body: '轻盈缓震' }, { stage: 'decision', hashtags: ['跑步'] }))).toEqual(['warn channel.cta.missing'])
    expect(codes(check('douyin-caption', { body: '轻盈缓震' }, { stage: 'decision', hashtags: ['跑步'], hasHouseCta: true }))).toEqual([])
    expect(codes(check('douyin-caption', { body: '轻盈缓震', cta: '去看看' }, { stage: 'decision', hashtags: ['跑步'] }))).toEqual([])
  })

  it.each([
    ['no link at the decision stage', {}, ['warn channel.link.missing']],
    ['a link that is not a web address', { link: 'mailto:team@chorus.example' }, ['block channel.link.invalid']],
    ['a good link', { link: 'https://chorus.example/run' }, []],
    ['a link written into the body', { body: '详情见 https://chorus.example/run 退订回T' }, []],
  ])('email: %s', (_name, extra, expected) => {
    const fields = { subject: '【AD】轻盈缓震跑鞋', body: '轻盈缓震，退订回T', cta: '立即购买', ...extra }
    expect(codes(check('email', fields, { stage: 'decision' }))).toEqual(expected)
  })

  it('requires 广告 or AD at the front of an email subject', () => {
    expect(codes(check('email', { subject: '轻盈缓震跑鞋', body: '退订' }))).toContain('warn channel.format.required')
    expect(codes(check('email', { subject: 'Ad: light running shoes', body: 'unsubscribe' }))).toEqual([])
  })

  it('counts inline and listed hashtags, and points at a Weibo topic without its closing #', () => {
    expect(codes(check('weibo-post', { body: '#和声跑鞋# 轻盈缓震' }))).toEqual([])
    expect(codes(check('weibo-post', { body: '轻盈缓震' }, { hashtags: ['跑步'] }))).toEqual([])
    const items = check('weibo-post', { body: '轻盈缓震 #跑步 走起' })
    expect(codes(items)).toEqual(['warn channel.hashtags.min', 'warn channel.hashtags.style'])
    expect(items[1]!.where[0]).toMatchObject({ field: 'body', text: '#跑步' })
    expect(codes(check('douyin-caption', { body: '轻盈缓震' }))).toEqual(['warn channel.hashtags.min'])
  })

  it('blocks off-platform contact details in a Xiaohongshu note', () => {
    const items = check('xiaohongshu-note', { title: '跑鞋', body: '想要的加微信 runner_2026 或打13812345678' }, { hashtags: ['跑步'] })
    expect(codes(items)).toEqual(['block channel.format.forbidden'])
    expect(items[0]!.where.map((w) => w.text)).toEqual(['微信 runner_2026', '13812345678'])
  })
})

describe('WeChat subscribe message parameters', () => {
  it.each([
    ['thing1', '轻盈缓震跑鞋已发货', []],
    ['thing1', '轻盈缓震跑鞋已经从仓库发出预计明天送达啦啦', ['block channel.length.max']],
    ['phrase2', '配送中', []],
    ['phrase2', '货物正在配送', ['block channel.format.required']],
    ['phrase2', 'ok', ['block channel.format.required']],
    ['character_string3', 'SF1234567890', []],
    ['character_string3', '顺丰1234', ['block channel.format.required']],
    ['number4', '3.5', []],
    ['number4', '3件', ['block channel.format.required']],
    ['amount5', '¥199.00', []],
    ['amount5', '199元', []],
    ['amount5', '一百九十九', ['block channel.format.required']],
    ['date6', '2026年11月11日', []],
    ['date6', '2026-11-11 20:00', []],
    ['date6', '下周一', ['block channel.format.required']],
    ['time7', '15:01', []],
    ['name8', '张三', []],
    ['name8', 'Chris Lee', []],
    ['name8', '张三丰张三丰张三丰张三丰', ['block channel.format.required']],
  ])('%s = %j', (field, value, expected) => {
    expect(codes(check('wechat-subscribe', { [field]: value }))).toEqual(expected)
  })
})

describe('Baidu search ad (bytes: CJK 2, ASCII 1)', () => {
  it.each([
    ['iPhone新品 is 10 bytes', 'iPhone新品', []],
    ['3 CJK characters are 6 bytes, under the minimum of 8', '新跑鞋', ['block channel.length.min']],
    ['26 CJK characters are 52 bytes, over 50', '轻盈缓震跑鞋'.repeat(4) + '上新', ['block channel.length.max']],
  ])('%s', (_name, title, expected) => {
    const fields = { title, description1: '轻盈缓震，让每一次奔跑都更远', link: 'https://chorus.example' }
    expect(codes(check('baidu-search-ad', fields))).toEqual(expected)
  })
})
