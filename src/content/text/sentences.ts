/**
 * Sentence splitting for Chinese and English copy.
 *
 * Chinese ends a sentence with 。！？ (and their half-width forms) or an ellipsis ……; closing
 * quotes and brackets that follow stay with the sentence (GB/T 15834-2011, 标点符号用法). English
 * ends one with . ! ? followed by a space, a line break or the end of the text, except after a
 * known abbreviation (e.g., No., Dr.) or inside a number (199.00, 11.11). A line break always ends a
 * sentence: in marketing copy a line is a unit even without punctuation.
 */

export interface Sentence {
  text: string
  /** UTF-16 offsets into the original text; `text` is the trimmed slice. */
  start: number
  end: number
}

const HARD_END = new Set(['。', '！', '？', '!', '?', '…'])
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', ']', '】', '"', "'", '》'])
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'no', 'vs', 'etc', 'e.g', 'i.e', 'inc', 'ltd', 'co', 'jan', 'feb',
  'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'approx', 'min', 'max',
])

function isSpace(char: string | undefined): boolean {
  return char === undefined || char === ' ' || char === '\t' || char === '\u3000'
}

/** Whether the `.` at `i` ends a sentence. */
function periodEnds(text: string, i: number): boolean {
  const next = text[i + 1]
  // "199.00", "11.11", "a.m." style: a period followed by a non-space stays inside the sentence,
  // unless what follows is CJK (English sentence then Chinese text).
  if (next !== undefined && !isSpace(next) && next !== '\n' && !CLOSERS.has(next)) {
    return next.charCodeAt(0) >= 0x2e80
  }
  let j = i - 1
  while (j >= 0 && /[A-Za-z.]/.test(text[j]!)) j--
  const word = text.slice(j + 1, i).toLowerCase()
  return !ABBREVIATIONS.has(word)
}

/**
 * Splits `text` into sentences with their offsets; empty stretches are dropped.
 *
 * @example
 * splitSentences('轻盈缓震，跑得更远。Run further. 立即购买！').map((s) => s.text)
 * // ['轻盈缓震，跑得更远。', 'Run further.', '立即购买！']
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = []
  let start = 0
  const push = (end: number) => {
    let s = start
    let e = end
    while (s < e && /\s/.test(text[s]!)) s++
    while (e > s && /\s/.test(text[e - 1]!)) e--
    if (e > s) sentences.push({ text: text.slice(s, e), start: s, end: e })
    start = end
  }
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (char === '\n' || char === '\r') {
      push(i)
      i++
      start = i
      continue
    }
    const ends = HARD_END.has(char) || (char === '.' && periodEnds(text, i))
    if (!ends) {
      i++
      continue
    }
    // Runs of terminators ("?!", "……", "...") and the closers after them belong to this sentence.
    let j = i + 1
    while (j < text.length && (HARD_END.has(text[j]!) || text[j] === '.')) j++
    while (j < text.length && CLOSERS.has(text[j]!)) j++
    push(j)
    i = j
  }
  push(text.length)
  return sentences
}
