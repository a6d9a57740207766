const FOLDABLE = /[A-Z\uFF01-\uFF5E]/g

/**
 * Folds text for literal matching without moving any offset: ASCII upper case to lower case and
 * full-width ASCII (Ｎｏ．１, ＡＤ) to half-width, each one UTF-16 unit for one, so a match found
 * in the folded text has the same offsets in the original.
 *
 * @example
 * foldForMatching('Ｎｏ．１ Best') // 'no.1 best'
 */
export function foldForMatching(text: string): string {
  return text.replace(FOLDABLE, (char) => {
    const code = char.charCodeAt(0)
    if (code <= 0x5a) return String.fromCharCode(code + 32)
    const half = code - 0xfee0
    return String.fromCharCode(half >= 0x41 && half <= 0x5a ? half + 32 : half)
  })
}

/** Every offset at which `needle` (already folded) occurs in `folded`, without overlaps. */
export function findAll(folded: string, needle: string): number[] {
  const out: number[] = []
  if (needle === '') return out
  let at = folded.indexOf(needle)
  while (at >= 0) {
    out.push(at)
    at = folded.indexOf(needle, at + needle.length)
  }
  return out
}
