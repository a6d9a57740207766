/**
 * Value limits of typed WeChat message fields. Subscribe messages (订阅消息) and the Official
 * Account's category templates name each key by its type followed by a number (`thing1`,
 * `number01`, `time3`…); the type fixes what the value may hold ("订阅消息参数值内容限制说明",
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html).
 * WeChat answers 47003 for a value that breaks them; checking first names the field and the rule.
 * Keys of other shapes (`first`, `keyword1`, `remark` of older templates) are not checked.
 */
const HAN = /\p{Script=Han}/u
const LETTER = /^[A-Za-z]$/
const DIGIT = /^[0-9]$/
// "符号表示除中文、英文、数字外的常见符号,不能带有换行等控制字符"
const isSymbol = (c: string) => !HAN.test(c) && !LETTER.test(c) && !DIGIT.test(c) && !/\p{Cc}/u.test(c) && c.trim() !== ''

type Rule = (value: string, chars: string[]) => string | null

const max = (n: number, what: string) => (chars: string[]) => (chars.length > n ? `is ${chars.length} characters; WeChat allows at most ${n} ${what}` : null)

const RULES: Record<string, Rule> = {
  thing: (_v, c) => max(20, 'characters')(c),
  number: (v, c) => max(32, 'digits')(c) ?? (/^-?\d+(\.\d+)?$/.test(v) ? null : 'must be a number (digits, optionally with a decimal point)'),
  letter: (_v, c) => max(32, 'letters')(c) ?? (c.every((x) => LETTER.test(x)) ? null : 'may hold letters only'),
  symbol: (_v, c) => max(5, 'symbols')(c) ?? (c.every(isSymbol) ? null : 'may hold symbols only'),
  character_string: (_v, c) => max(32, 'characters')(c) ?? (c.every((x) => LETTER.test(x) || DIGIT.test(x) || isSymbol(x)) ? null : 'may hold digits, letters and symbols only (no Chinese characters)'),
  phone_number: (_v, c) => max(17, 'characters')(c) ?? (c.every((x) => DIGIT.test(x) || isSymbol(x)) ? null : 'may hold digits and symbols only'),
  car_number: (_v, c) =>
    max(8, 'characters')(c) ??
    (c.every((x, i) => LETTER.test(x) || DIGIT.test(x) || ((i === 0 || i === c.length - 1) && HAN.test(x))) ? null : 'must be a plate: letters and digits, Chinese only first and last'),
  name: (_v, c) => {
    const chinese = c.some((x) => HAN.test(x))
    // "中文名10个汉字内;纯英文名20个字母内;中文和字母混合按中文名算,10个字内"
    return chinese ? max(10, 'characters for a Chinese name')(c) : max(20, 'letters for a name without Chinese')(c)
  },
  phrase: (_v, c) => max(5, 'Chinese characters')(c) ?? (c.every((x) => HAN.test(x)) ? null : 'may hold Chinese characters only'),
  amount: (v) => (/^[^\d\s.-]?\d{1,10}(\.\d+)?元?$/u.test(v) ? null : 'must be one currency symbol and at most 10 digits, optionally with decimals and a closing 元'),
  time: (v) => (v.trim() ? null : 'is empty'),
  date: (v) => (v.trim() ? null : 'is empty'),
}

/**
 * Checks every field of a message's `data`; returns one message per broken field.
 *
 * @example
 * checkWechatFields({ thing1: '这是一段超过二十个字符的活动名称说明文字哦哦哦', phrase2: '配送中' })
 * // ['thing1 is 23 characters; WeChat allows at most 20 characters']
 */
export function checkWechatFields(data: Record<string, string>): string[] {
  const problems: string[] = []
  for (const [key, value] of Object.entries(data)) {
    const type = key.match(/^([a-z_]+?)\d+$/)?.[1]
    const rule = type ? RULES[type] : undefined
    if (!rule) continue
    if (value === '') {
      problems.push(`${key} is empty; WeChat rejects empty values`)
      continue
    }
    const problem = rule(value, [...value])
    if (problem) problems.push(`${key} ${problem}`)
  }
  return problems
}
