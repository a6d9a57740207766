import type { TraitOp } from '../message.ts'
import type { SensorsRecordType } from './record-schema.ts'

export type TraitOpResult = { kind: 'ok'; traitOp: TraitOp } | { kind: 'Rejected'; reason: string }

/**
 * The trait operation a Sensors `profile_*` record stands for (Sensors "数据格式", profile
 * operations):
 * - `profile_set` / `profile_set_once`: the properties, `$`-prefixed presets included (`$name`,
 *   `$city`… are traits people set on purpose), `$is_login_id` excluded (a flag, not a trait);
 * - `profile_increment`: every value must be a number;
 * - `profile_append`: every value must be a list (Sensors list properties);
 * - `profile_unset`: the property names are the traits to remove (the SDKs send `{ key: true }`);
 * - `profile_delete`: the whole profile.
 *
 * @example
 * profileTraitOp('profile_increment', { visits: 1 }) // { kind: 'ok', traitOp: { op: 'increment', traits: { visits: 1 } } }
 * profileTraitOp('profile_increment', { visits: '1' }) // { kind: 'Rejected', reason: 'profile_increment needs numbers; visits is a string' }
 */
export function profileTraitOp(type: SensorsRecordType, properties: Record<string, unknown>): TraitOpResult {
  const { $is_login_id: _flag, ...traits } = properties
  switch (type) {
    case 'profile_set':
      return { kind: 'ok', traitOp: { op: 'set', traits } }
    case 'profile_set_once':
      return { kind: 'ok', traitOp: { op: 'set_once', traits } }
    case 'profile_increment': {
      const numbers: Record<string, number> = {}
      for (const [key, value] of Object.entries(traits)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          return { kind: 'Rejected', reason: `profile_increment needs numbers; ${key} is ${kindOf(value)}` }
        }
        numbers[key] = value
      }
      return { kind: 'ok', traitOp: { op: 'increment', traits: numbers } }
    }
    case 'profile_append': {
      const lists: Record<string, unknown[]> = {}
      for (const [key, value] of Object.entries(traits)) {
        if (!Array.isArray(value)) {
          return { kind: 'Rejected', reason: `profile_append needs lists; ${key} is ${kindOf(value)}` }
        }
        lists[key] = value
      }
      return { kind: 'ok', traitOp: { op: 'append', traits: lists } }
    }
    case 'profile_unset': {
      const keys = Object.keys(traits)
      if (keys.length === 0) return { kind: 'Rejected', reason: 'profile_unset names no properties to remove' }
      return { kind: 'ok', traitOp: { op: 'unset', keys } }
    }
    case 'profile_delete':
      return { kind: 'ok', traitOp: { op: 'delete' } }
    default:
      return { kind: 'Rejected', reason: `${type} is not a profile operation` }
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return `a ${typeof value}`
}
