import type { SensorsRecord } from './record-schema.ts'

/**
 * Sensors preset properties (`$os`, `$app_version`, `$utm_source`, … — "预置属性" in the
 * Sensors manual) restated as the Segment Spec's `context` object
 * (https://segment.com/docs/connections/spec/common/#context), so that everything downstream
 * reads one shape whichever SDK sent the event. The original properties stay untouched in
 * `payload.properties`; this is a second, normalised view.
 */
export interface ContextInput {
  record: SensorsRecord
  /** The request's address; `properties.$ip` wins, as on a Sensors server, because server SDKs relay the client's IP that way. */
  ip?: string | undefined
  project: string | null
}

/**
 * @example
 * sensorsContext({ record: { type: 'track', lib: { $lib: 'js', $lib_version: '1.26.7' },
 *   properties: { $os: 'Mac', $utm_source: 'Baidu' } }, project: 'shop' })
 * // { library: { name: 'sensors/js', version: '1.26.7' }, os: { name: 'Mac' },
 * //   campaign: { source: 'Baidu' }, sensors: { type: 'track', project: 'shop', lib: {…} } }
 */
export function sensorsContext({ record, ip, project }: ContextInput): Record<string, unknown> {
  const p = record.properties ?? {}
  const lib = record.lib ?? {}
  const context = {
    library: {
      name: `sensors/${text(lib.$lib) ?? text(p.$lib) ?? 'unknown'}`,
      version: text(lib.$lib_version) ?? text(p.$lib_version),
    },
    ip: text(p.$ip) ?? ip,
    os: { name: text(p.$os), version: text(p.$os_version) },
    app: {
      name: text(p.$app_name),
      version: text(p.$app_version) ?? text(lib.$app_version),
      namespace: text(p.$app_id),
    },
    device: {
      id: text(p.$device_id),
      manufacturer: text(p.$manufacturer),
      model: text(p.$model),
      type: text(p.$device_type),
    },
    screen: { width: number(p.$screen_width), height: number(p.$screen_height) },
    network: { wifi: bool(p.$wifi), carrier: text(p.$carrier), type: text(p.$network_type) },
    location: { country: text(p.$country), region: text(p.$province), city: text(p.$city) },
    userAgent: text(p.$user_agent),
    page: {
      url: text(p.$url),
      path: text(p.$url_path),
      title: text(p.$title),
      referrer: text(p.$referrer),
    },
    campaign: sensorsCampaign(p),
    sensors: {
      type: record.type,
      event: record.event ?? undefined,
      project: project ?? undefined,
      lib: Object.keys(lib).length > 0 ? lib : undefined,
    },
  }
  return dropEmpty(context) ?? {}
}

const UTM_FIELDS = [
  ['source', 'utm_source'],
  ['medium', 'utm_medium'],
  ['name', 'utm_campaign'],
  ['term', 'utm_term'],
  ['content', 'utm_content'],
] as const

/**
 * Segment's `context.campaign` from `$utm_*` (the campaign of this visit) or, when the visit
 * has none, `$latest_utm_*` (the latest campaign the SDK remembers for this user — the Web and
 * mini program SDKs add it to every event).
 */
export function sensorsCampaign(properties: Record<string, unknown>): Record<string, string> {
  const current = pickUtm(properties, '$')
  return Object.keys(current).length > 0 ? current : pickUtm(properties, '$latest_')
}

function pickUtm(properties: Record<string, unknown>, prefix: string): Record<string, string> {
  const campaign: Record<string, string> = {}
  for (const [field, suffix] of UTM_FIELDS) {
    const value = text(properties[`${prefix}${suffix}`])
    if (value !== undefined) campaign[field] = value
  }
  return campaign
}

/** `$lib` values of the client SDKs and the platform each one runs on. */
const LIB_CHANNELS: Readonly<Record<string, string>> = {
  js: 'web',
  miniprogram: 'wechat_mini_program',
  android: 'app',
  ios: 'app',
}

/**
 * The acquisition channel the record itself states: its UTM source (lower-cased), else the
 * platform of the SDK that sent it (`js` → `web`, `MiniProgram` → `wechat_mini_program`,
 * `Android` / `iOS` → `app`). Server SDKs state nothing: `null`.
 *
 * @example
 * sensorsChannel({ $utm_source: 'WeChat' }, { $lib: 'js' }) // 'wechat'
 * sensorsChannel({}, { $lib: 'MiniProgram' })              // 'wechat_mini_program'
 */
export function sensorsChannel(
  properties: Record<string, unknown>,
  lib: Record<string, unknown>,
): string | null {
  const source = sensorsCampaign(properties).source?.trim().toLowerCase()
  if (source) return source
  const name = text(lib.$lib) ?? text(properties.$lib)
  return name === undefined ? null : (LIB_CHANNELS[name.toLowerCase()] ?? null)
}

/**
 * A copy without `undefined` / `null` values and without objects that end up empty, so the
 * stored payload carries only what the SDK actually said.
 */
export function dropEmpty(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined || entry === null) continue
    if (isPlainObject(entry)) {
      const inner = dropEmpty(entry)
      if (inner !== undefined) out[key] = inner
    } else {
      out[key] = entry
    }
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined
}
