import { describe, expect, it } from 'vitest'
import { LinkTracker } from '../tracking/links.ts'
import { renderLiquid, TemplateRenderError } from './liquid.ts'
import { renderVariant, type RenderInput } from './render.ts'

const input: RenderInput = {
  profile: { id: 'prf_1', traits: { name: '李雷', tier: 'gold' } },
  event: { name: 'Order Completed', properties: { order_id: 'A1', total: 99.5 } },
  journey: { name: '复购' },
  message: { id: 'msg_1', channel: 'sms' },
  unsubscribeUrl: 'https://c.example.com/u/x',
}

describe('Liquid rendering', () => {
  it('fills profile traits, event properties and journey context', async () => {
    const out = await renderLiquid('f', '{{ profile.name }}/{{ traits.tier }}/{{ profile.id }}/{{ event.properties.order_id }}/{{ event.name }}/{{ journey.name }}', { profile: { name: '李雷', id: 'prf_1' }, traits: { tier: 'gold' }, event: { name: 'Order Completed', properties: { order_id: 'A1' } }, journey: { name: '复购' } })
    expect(out).toBe('李雷/gold/prf_1/A1/Order Completed/复购')
  })

  it('names an undefined variable, its field and position', async () => {
    const error = await renderLiquid('sms.text', 'Hi {{ profile.nickname }}', { profile: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TemplateRenderError)
    expect((error as TemplateRenderError).problem).toMatchObject({ kind: 'UndefinedVariable', field: 'sms.text', variable: 'profile.nickname' })
    expect((error as TemplateRenderError).message).toContain('(line 1, column 7)')
  })

  it('never reads files and never reaches prototypes', async () => {
    for (const source of ['{% include "package.json" %}', '{% render "/etc/passwd" %}', '{% layout "package.json" %}x']) {
      await expect(renderLiquid('f', source, {})).rejects.toBeInstanceOf(TemplateRenderError)
    }
    await expect(renderLiquid('f', '{{ profile.constructor }}', { profile: {} })).rejects.toMatchObject({ problem: { kind: 'UndefinedVariable' } })
  })
})

describe('renderVariant', () => {
  it('renders SMS params and tracks links in them', async () => {
    const tracker = new LinkTracker((i) => `https://c.example.com/r/t${i}`, 'https://c.example.com')
    const { content } = await renderVariant(
      { sms: { text: '{{ profile.name }}，订单{{ event.properties.order_id }}已发货 https://shop.example.com/o/{{ event.properties.order_id }}', templateCode: 'SMS_1', params: { name: '{{ profile.name }}', link: 'https://shop.example.com/o/{{ event.properties.order_id }}' } } },
      'sms',
      input,
      { tracker },
    )
    expect(content).toEqual({ channel: 'sms', text: '李雷，订单A1已发货 https://c.example.com/r/t0', templateCode: 'SMS_1', params: { name: '李雷', link: 'https://c.example.com/r/t0' } })
    expect(tracker.links).toEqual(['https://shop.example.com/o/A1'])
  })

  it('says which channel variant is missing', async () => {
    await expect(renderVariant({ inbox: { title: 't', body: 'b' } }, 'email', input, null)).rejects.toThrow('The template has no email variant')
  })
})
