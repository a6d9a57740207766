import { z } from 'zod'

/**
 * SMS length and segments.
 *
 * An SMS carries 140 octets of user data (3GPP TS 23.040): 160 characters of the GSM 7-bit
 * default alphabet or 70 UCS-2 code units. A concatenated message spends 6 octets of each part on
 * the user data header, leaving 153 septets or 67 code units per part. One character outside the
 * GSM alphabet (any Chinese character, an emoji, a curly quote) switches the whole message to
 * UCS-2. Characters of the GSM extension table (`^ { } \ [ ] ~ | €` and form feed) take two
 * septets (an escape plus the character), and neither an escape pair nor a UTF-16 surrogate pair
 * may be split across parts, so parts are packed one character at a time.
 *
 * Chinese carriers bill domestic messages differently (Aliyun SMS "短信发送规则", Huawei Cloud
 * SMS rules): every character — Chinese, Latin, digit or punctuation — counts 1, 70 per single
 * message and 67 per part of a long one, whatever the encoding. `billing: 'cn-domestic'` uses that.
 */

export const SmsBilling = z.enum(['gsm', 'cn-domestic'])
export type SmsBilling = z.infer<typeof SmsBilling>

/** GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), ESC excluded. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
)
/** GSM 03.38 extension table (§6.2.1.1): each costs an escape septet plus itself. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€')

export interface SmsSegmentCount {
  encoding: 'gsm-7' | 'ucs-2'
  /** Length in the billing unit: septets for GSM-7, UTF-16 code units for UCS-2, characters for cn-domestic. */
  length: number
  segments: number
  /** Capacity of each part: 160 / 70 for a single message, 153 / 67 per part when concatenated. */
  perSegment: number
  /** The characters that forced UCS-2, with their UTF-16 offsets (at most 10). */
  nonGsm: { char: string; offset: number }[]
}

/**
 * Detects the encoding a message needs and counts its segments.
 *
 * @example
 * countSmsSegments('【和声】' + '好'.repeat(66)).segments // 1  (70 characters)
 * countSmsSegments('【和声】' + '好'.repeat(67)).segments // 2  (71 characters)
 * countSmsSegments('a'.repeat(161)).segments // 2  (153 + 8 septets)
 */
export function countSmsSegments(text: string, options: { billing?: SmsBilling } = {}): SmsSegmentCount {
  const billing = options.billing ?? 'gsm'
  const nonGsm: { char: string; offset: number }[] = []
  let septets = 0
  let offset = 0
  const costs: number[] = []
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets += 1
    else if (GSM_EXTENSION.has(char)) septets += 2
    else if (nonGsm.length < 10) nonGsm.push({ char, offset })
    offset += char.length
  }
  const encoding = nonGsm.length === 0 ? 'gsm-7' : 'ucs-2'

  if (billing === 'cn-domestic') {
    for (const _ of text) costs.push(1)
    return pack(costs, 70, 67, encoding, nonGsm)
  }
  if (encoding === 'gsm-7') {
    for (const char of text) costs.push(GSM_EXTENSION.has(char) ? 2 : 1)
    return pack(costs, 160, 153, encoding, nonGsm, septets)
  }
  for (const char of text) costs.push(char.length)
  return pack(costs, 70, 67, encoding, nonGsm)
}

/** Packs characters of the given costs into parts without splitting any character. */
function pack(
  costs: number[],
  single: number,
  perPart: number,
  encoding: SmsSegmentCount['encoding'],
  nonGsm: SmsSegmentCount['nonGsm'],
  knownLength?: number,
): SmsSegmentCount {
  const length = knownLength ?? costs.reduce((a, b) => a + b, 0)
  if (length <= single) return { encoding, length, segments: length === 0 ? 0 : 1, perSegment: single, nonGsm }
  let segments = 1
  let used = 0
  for (const cost of costs) {
    if (used + cost > perPart) {
      segments++
      used = 0
    }
    used += cost
  }
  return { encoding, length, segments, perSegment: perPart, nonGsm }
}
