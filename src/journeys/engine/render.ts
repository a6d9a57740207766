import { Liquid, type Template } from 'liquidjs'

/**
 * Liquid over what a journey knows about a person, in the same scope channel templates use:
 * `profile` (traits plus `profile.id`), `traits`, and `event` (`event.name`, `event.properties.*`
 * of the event that brought them in) — so one template reads the same through every sender.
 * Templates are parsed once and kept; rendering never reads files or the network.
 *
 * @example renderTemplate('你好 {{ profile.name | default: "朋友" }}', renderScope(id, { name: '李雷' }, null, {})) // '你好 李雷'
 */
export interface RenderScope {
  profile: Record<string, unknown> & { id: string }
  traits: Record<string, unknown>
  event: { name: string | null; properties: Record<string, unknown> }
}

export function renderScope(profileId: string, traits: Record<string, unknown>, eventName: string | null, properties: Record<string, unknown>): RenderScope {
  return { profile: { ...traits, id: profileId }, traits, event: { name: eventName, properties } }
}

const liquid = new Liquid({ cache: false, ownPropertyOnly: true })
const parsed = new Map<string, Template[]>()

export function renderTemplate(source: string, scope: RenderScope): string {
  if (!source.includes('{')) return source
  let template = parsed.get(source)
  if (!template) {
    template = liquid.parse(source)
    if (parsed.size > 2_000) parsed.clear()
    parsed.set(source, template)
  }
  return liquid.renderSync(template, scope as unknown as Record<string, unknown>) as string
}

/** Renders every string inside a JSON value (webhook bodies). */
export function renderJson(value: unknown, scope: RenderScope): unknown {
  if (typeof value === 'string') return renderTemplate(value, scope)
  if (Array.isArray(value)) return value.map((v) => renderJson(v, scope))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, scope)]))
  return value
}
