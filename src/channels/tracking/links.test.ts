import { describe, expect, it } from 'vitest'
import { LinkTracker, withUtm } from './links.ts'

const tracker = () => new LinkTracker((i) => `https://c.example.com/r/t${i}`, 'https://c.example.com')

describe('LinkTracker', () => {
  it('rewrites anchors and leaves stylesheets, mailto and our own links alone', () => {
    const t = tracker()
    const html = '<link href="https://fonts.example.com/css"><a class="b" href="https://shop.example.com/?a=1&amp;b=2">Shop</a> <a href=\'mailto:x@example.com\'>Mail</a> <a href="https://c.example.com/u/tok">Unsubscribe</a> <a href="https://shop.example.com/?a=1&amp;b=2">Again</a>'
    expect(t.html(html)).toBe(
      '<link href="https://fonts.example.com/css"><a class="b" href="https://c.example.com/r/t0">Shop</a> <a href=\'mailto:x@example.com\'>Mail</a> <a href="https://c.example.com/u/tok">Unsubscribe</a> <a href="https://c.example.com/r/t0">Again</a>',
    )
    expect(t.links).toEqual(['https://shop.example.com/?a=1&b=2'])
  })

  it('finds bare links in text without swallowing the punctuation after them', () => {
    const t = tracker()
    expect(t.text('新品 https://shop.example.com/new?id=1，快来。See https://shop.example.com/b. Or (https://x.example.com/c)')).toBe(
      '新品 https://c.example.com/r/t0，快来。See https://c.example.com/r/t1. Or (https://c.example.com/r/t2)',
    )
    expect(t.links).toEqual(['https://shop.example.com/new?id=1', 'https://shop.example.com/b', 'https://x.example.com/c'])
  })
})

describe('withUtm', () => {
  it('adds source, medium and campaign, keeping parameters the link already has', () => {
    expect(withUtm('https://shop.example.com/p?id=1#top', { channel: 'sms', campaign: '双11' })).toBe('https://shop.example.com/p?id=1&utm_source=chorus%2Fsms&utm_medium=sms&utm_campaign=%E5%8F%8C11#top')
    expect(withUtm('https://shop.example.com/?utm_campaign=mine', { channel: 'wechat', campaign: 'x' })).toBe('https://shop.example.com/?utm_campaign=mine&utm_source=chorus%2Fwechat&utm_medium=social')
  })
})
