/**
 * The Porter stemmer, as published in M. F. Porter, "An algorithm for suffix stripping",
 * Program 14(3), 130–137 (1980); definition text at https://tartarus.org/martin/PorterStemmer/def.txt.
 *
 * This follows the paper's rules exactly (step 2 `ABLI → ABLE`, no `LOGI` rule), not the later
 * "departures" of the reference C code, so results can be checked against the paper's examples.
 * Only lower-case ASCII words are stemmed; anything else is returned unchanged.
 */

const ASCII_WORD = /^[a-z]+$/

/** True when `word[i]` is a consonant in Porter's sense (`y` after a consonant is a vowel). */
function isConsonant(word: string, i: number): boolean {
  switch (word[i]) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
      return false
    case 'y':
      return i === 0 ? true : !isConsonant(word, i - 1)
    default:
      return true
  }
}

/** m in the paper's form [C](VC)^m[V] of `stem`. */
function measure(stem: string): number {
  let m = 0
  let i = 0
  const n = stem.length
  while (i < n && isConsonant(stem, i)) i++
  while (i < n) {
    while (i < n && !isConsonant(stem, i)) i++
    if (i >= n) break
    while (i < n && isConsonant(stem, i)) i++
    m++
  }
  return m
}

/** *v* — the stem contains a vowel. */
function hasVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true
  return false
}

/** *d — the stem ends with a double consonant. */
function endsWithDoubleConsonant(stem: string): boolean {
  const n = stem.length
  return n >= 2 && stem[n - 1] === stem[n - 2] && isConsonant(stem, n - 1)
}

/** *o — the stem ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(stem: string): boolean {
  const n = stem.length
  if (n < 3) return false
  if (!isConsonant(stem, n - 1) || isConsonant(stem, n - 2) || !isConsonant(stem, n - 3)) return false
  const last = stem[n - 1]
  return last !== 'w' && last !== 'x' && last !== 'y'
}

type Rule = readonly [suffix: string, replacement: string]

function longestFirst(rules: Rule[]): readonly Rule[] {
  return rules.sort((a, b) => b[0].length - a[0].length)
}

/**
 * Takes the longest matching suffix (rules are sorted longest first); it is replaced only if
 * `m(stem) > minMeasure`, and a failed condition ends the step, as the paper prescribes.
 */
function replaceSuffix(word: string, rules: readonly Rule[], minMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue
    const stem = word.slice(0, word.length - suffix.length)
    return measure(stem) > minMeasure ? stem + replacement : word
  }
  return word
}

function step1a(w: string): string {
  if (w.endsWith('sses')) return w.slice(0, -2)
  if (w.endsWith('ies')) return w.slice(0, -2)
  if (w.endsWith('ss')) return w
  if (w.endsWith('s')) return w.slice(0, -1)
  return w
}

function step1b(w: string): string {
  if (w.endsWith('eed')) {
    const stem = w.slice(0, -3)
    return measure(stem) > 0 ? stem + 'ee' : w
  }
  let stem: string | null = null
  if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) stem = w.slice(0, -2)
  else if (w.endsWith('ing') && hasVowel(w.slice(0, -3))) stem = w.slice(0, -3)
  if (stem === null) return w
  // The paper's clean-up after removing -ed / -ing.
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e'
  if (endsWithDoubleConsonant(stem)) {
    const last = stem[stem.length - 1]
    return last === 'l' || last === 's' || last === 'z' ? stem : stem.slice(0, -1)
  }
  if (measure(stem) === 1 && endsCvc(stem)) return stem + 'e'
  return stem
}

function step1c(w: string): string {
  return w.endsWith('y') && hasVowel(w.slice(0, -1)) ? w.slice(0, -1) + 'i' : w
}

const STEP2 = longestFirst([
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['abli', 'able'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
])

const STEP3 = longestFirst([
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
])

// Longest suffixes first where one ends another (ement / ment / ent), as the paper intends.
const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism',
  'ate', 'iti', 'ous', 'ive', 'ize',
].sort((a, b) => b.length - a.length)

function step4(w: string): string {
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue
    const stem = w.slice(0, w.length - suffix.length)
    if (measure(stem) <= 1) return w
    if (suffix === 'ion') {
      const last = stem[stem.length - 1]
      return last === 's' || last === 't' ? stem : w
    }
    return stem
  }
  return w
}

function step5(w: string): string {
  let word = w
  if (word.endsWith('e')) {
    const stem = word.slice(0, -1)
    const m = measure(stem)
    if (m > 1 || (m === 1 && !endsCvc(stem))) word = stem
  }
  if (measure(word) > 1 && endsWithDoubleConsonant(word) && word.endsWith('l')) word = word.slice(0, -1)
  return word
}

/**
 * Reduces an English word to its Porter stem.
 *
 * @example
 * stem('running') // 'run'
 * stem('runs') // 'run'
 * stem('generalizations') // 'gener'
 */
export function stem(word: string): string {
  // The paper leaves words of one or two letters alone.
  if (word.length <= 2 || !ASCII_WORD.test(word)) return word
  let w = step1a(word)
  w = step1b(w)
  w = step1c(w)
  w = replaceSuffix(w, STEP2, 0)
  w = replaceSuffix(w, STEP3, 0)
  w = step4(w)
  return step5(w)
}
