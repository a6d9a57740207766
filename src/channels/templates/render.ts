import type { Channel } from '../channel.ts'
import type { RenderedContent } from '../provider.ts'
import type { LinkTracker } from '../tracking/links.ts'
import { renderLiquid, TemplateRenderError, type OutputMode } from './liquid.ts'
import { compileMjml } from './mjml.ts'
import type { TemplateVariants } from './template.ts'

/** What a template may refer to. */
export interface RenderInput {
  profile: { id: string | null; traits: Record<string, unknown> }
  event?: { name?: string; properties: Record<string, unknown> }
  journey?: Record<string, unknown>
  data?: Record<string, unknown>
  message: { id: string; channel: Channel }
  unsubscribeUrl: string | null
}

/**
 * The Liquid scope: `profile` (the person's traits, plus `profile.id`; `traits` is the same
 * without the id), `event` (`event.name`,
 * `event.properties.*` of the event that triggered the send), `journey` (what the journey passes),
 * `data` (anything else the caller passes), `message.id`, `message.channel`, `unsubscribe_url`.
 */
export function liquidScope(input: RenderInput): Record<string, unknown> {
  const scope: Record<string, unknown> = {
    profile: { ...input.profile.traits, id: input.profile.id },
    traits: input.profile.traits,
    message: input.message,
  }
  if (input.event) scope.event = { name: input.event.name ?? null, properties: input.event.properties }
  if (input.journey) scope.journey = input.journey
  if (input.data) scope.data = input.data
  if (input.unsubscribeUrl) scope.unsubscribe_url = input.unsubscribeUrl
  return scope
}

export interface Tracking {
  tracker: LinkTracker
  /** The open pixel's address, appended to email HTML. */
  pixelUrl?: string
}

export interface Rendered {
  content: RenderedContent
  /** MJML validation problems; the message still renders. */
  warnings: string[]
}

/**
 * Renders one channel's variant: Liquid first, then MJML for email, then tracked links (and the
 * open pixel) when tracking is on. Throws `TemplateRenderError` naming the field and variable.
 *
 * @example const { content } = await renderVariant(template.variants, 'email', input, { tracker, pixelUrl })
 */
export async function renderVariant(variants: TemplateVariants, channel: Channel, input: RenderInput, tracking: Tracking | null): Promise<Rendered> {
  const scope = liquidScope(input)
  const r = (field: string, source: string, mode: OutputMode = 'text') => renderLiquid(`${channel}.${field}`, source, scope, mode)
  const rMap = async (field: string, map: Record<string, string>) => {
    const out: Record<string, string> = {}
    for (const [key, source] of Object.entries(map)) out[key] = await r(`${field}.${key}`, source)
    return out
  }
  const text = (value: string) => (tracking ? tracking.tracker.text(value) : value)
  const url = (value: string) => (tracking ? tracking.tracker.url(value) : value)
  const missing = () => {
    throw new TemplateRenderError({ kind: 'RenderError', field: channel, message: `The template has no ${channel} variant` })
  }

  switch (channel) {
    case 'email': {
      const v = variants.email ?? missing()
      const warnings: string[] = []
      const subject = (await r('subject', v.subject)).replace(/[\r\n]+/g, ' ').trim()
      let html: string
      if (v.mjml !== undefined) {
        const compiled = await compileMjml(await r('mjml', v.mjml, 'html'))
        warnings.push(...compiled.errors.map((e) => `email.mjml ${e}`))
        html = compiled.html
      } else {
        html = await r('html', v.html!, 'html')
      }
      if (tracking) {
        html = tracking.tracker.html(html)
        if (tracking.pixelUrl) html = addPixel(html, tracking.pixelUrl)
      }
      const content: RenderedContent = { channel: 'email', subject, html }
      if (v.text !== undefined) content.text = text(await r('text', v.text))
      return { content, warnings }
    }
    case 'sms': {
      const v = variants.sms ?? missing()
      const params = await rMap('params', v.params)
      for (const key of Object.keys(params)) params[key] = text(params[key]!)
      return { content: { channel: 'sms', text: text(await r('text', v.text)), templateCode: v.templateCode, params }, warnings: [] }
    }
    case 'wechat': {
      const v = variants.wechat ?? missing()
      const content: RenderedContent = { channel: 'wechat', templateId: v.templateId, data: await rMap('data', v.data) }
      if (v.url !== undefined) content.url = url(await r('url', v.url))
      if (v.miniprogram) content.miniprogram = { appid: v.miniprogram.appid, ...(v.miniprogram.pagepath !== undefined ? { pagepath: await r('miniprogram.pagepath', v.miniprogram.pagepath) } : {}) }
      return { content, warnings: [] }
    }
    case 'wechat_mini': {
      const v = variants.wechat_mini ?? missing()
      const content: RenderedContent = { channel: 'wechat_mini', templateId: v.templateId, data: await rMap('data', v.data) }
      if (v.page !== undefined) content.page = await r('page', v.page)
      if (v.miniprogramState) content.miniprogramState = v.miniprogramState
      if (v.lang) content.lang = v.lang
      return { content, warnings: [] }
    }
    case 'wecom': {
      const v = variants.wecom ?? missing()
      const content: RenderedContent = { channel: 'wecom', text: text(await r('text', v.text)) }
      if (v.link) {
        content.link = { title: await r('link.title', v.link.title), url: url(await r('link.url', v.link.url)) }
        if (v.link.desc !== undefined) content.link.desc = await r('link.desc', v.link.desc)
        if (v.link.picurl !== undefined) content.link.picurl = v.link.picurl
      }
      if (v.sender !== undefined) content.sender = await r('sender', v.sender)
      return { content, warnings: [] }
    }
    case 'webhook': {
      const v = variants.webhook ?? missing()
      const fields = await rMap('fields', v.fields)
      for (const key of Object.keys(fields)) fields[key] = text(fields[key]!)
      return { content: { channel: 'webhook', fields }, warnings: [] }
    }
    case 'inbox': {
      const v = variants.inbox ?? missing()
      const content: RenderedContent = { channel: 'inbox', title: await r('title', v.title), body: text(await r('body', v.body)), data: v.data ? await rMap('data', v.data) : {} }
      if (v.url !== undefined) content.url = url(await r('url', v.url))
      return { content, warnings: [] }
    }
  }
}

/** A 1×1 image just before `</body>` (or at the end): loading it records an open. */
function addPixel(html: string, pixelUrl: string): string {
  const img = `<img src="${pixelUrl}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`
  const at = html.toLowerCase().lastIndexOf('</body>')
  return at >= 0 ? `${html.slice(0, at)}${img}${html.slice(at)}` : `${html}${img}`
}
