import { z } from 'zod'

/**
 * One Sensors Data record, as every Sensors SDK produces it ("数据格式", Sensors Analytics manual,
 * https://manual.sensorsdata.cn/sa/docs/tech_knowledge_layout). Unknown top-level fields are
 * kept (`looseObject`) because SDKs add their own (`_hybrid_h5`, `_track_id`, `device_id`, …).
 */
export const SENSORS_RECORD_TYPES = [
  'track',
  'track_signup',
  'profile_set',
  'profile_set_once',
  'profile_increment',
  'profile_append',
  'profile_unset',
  'profile_delete',
  'track_id_bind',
  'track_id_unbind',
  'item_set',
  'item_delete',
] as const

export type SensorsRecordType = (typeof SENSORS_RECORD_TYPES)[number]

/**
 * An id as sent: a string, or a number from a server SDK that passed one. Empty or null means
 * "not given" — SDKs emit `"login_id": ""` before login and that must not reject the record.
 */
const IdValue = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined || value === '' ? undefined : String(value)))
  .optional()

/** Epoch milliseconds inside the range a JavaScript Date can represent. */
const EpochMillis = z.number().min(0).max(8.64e15)

const Properties = z.record(z.string(), z.unknown())

export const SensorsRecord = z.looseObject({
  type: z.enum(SENSORS_RECORD_TYPES, {
    error: (issue) =>
      `type must be one of ${SENSORS_RECORD_TYPES.join(', ')}; got ${JSON.stringify(issue.input) ?? 'nothing'}`,
  }),
  event: z.string().nullish(),
  distinct_id: IdValue,
  /** track_signup: the anonymous id the user had before logging in. */
  original_id: IdValue,
  anonymous_id: IdValue,
  login_id: IdValue,
  /** When it happened, epoch ms on the client's clock. */
  time: EpochMillis.nullish(),
  /** A random number the SDK draws once per record; a resend carries the same one. */
  _track_id: z.union([z.number(), z.string()]).nullish(),
  /** When the SDK sent the batch, epoch ms on the same client clock as `time`. */
  _flush_time: EpochMillis.nullish(),
  project: z.string().nullish(),
  token: z.string().nullish(),
  time_free: z.boolean().nullish(),
  properties: Properties.nullish(),
  /** `$lib`, `$lib_version`, `$lib_method`, `$lib_detail`, `$app_version`. */
  lib: Properties.nullish(),
  /** ID-Mapping 3.0: `{ "$identity_login_id": "…", "$identity_anonymous_id": "…", … }`. */
  identities: z.record(z.string(), IdValue).nullish(),
  item_type: z.string().nullish(),
  item_id: IdValue,
})

export type SensorsRecord = z.infer<typeof SensorsRecord>

export type RecordCheck = { kind: 'ok'; record: SensorsRecord } | { kind: 'Rejected'; reason: string }

/**
 * Validate a decoded record and explain every problem in one sentence.
 *
 * @example
 * parseSensorsRecord({ type: 'track', event: 'Buy', distinct_id: 'a1', time: 1700000000000 })
 * // { kind: 'ok', record: { type: 'track', event: 'Buy', distinct_id: 'a1', … } }
 */
export function parseSensorsRecord(input: unknown): RecordCheck {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { kind: 'Rejected', reason: `a record must be a JSON object; got ${describe(input)}` }
  }
  const parsed = SensorsRecord.safeParse(input)
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'record'
      return issue.path[0] === 'type' ? issue.message : `${where}: ${issue.message}`
    })
    return { kind: 'Rejected', reason: reasons.join('; ') }
  }
  return { kind: 'ok', record: parsed.data }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}
