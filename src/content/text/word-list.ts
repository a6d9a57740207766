import { readFileSync } from 'node:fs'

/**
 * The plain-text word-list format of `src/content/data/*.txt`, chosen so that a brand can edit or
 * extend a list in any editor: entries are separated by whitespace, an entry containing spaces is
 * written in double quotes ("number one"), and everything after a `#` at the start of a line is a
 * comment. Lexicons add `[section]` headers (see ad-law-lexicon.ts).
 */

/** The entries on one line of a word list. */
export function parseWordLine(line: string): string[] {
  const entries: string[] = []
  for (const match of line.matchAll(/"([^"]+)"|(\S+)/g)) {
    const entry = (match[1] ?? match[2] ?? '').trim()
    if (entry) entries.push(entry)
  }
  return entries
}

/** Every entry of a word list without sections; comment lines are skipped. */
export function parseWordList(text: string): string[] {
  const entries: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    entries.push(...parseWordLine(line))
  }
  return entries
}

/** Reads a list shipped in `src/content/data/` (resolved from this module, not the working directory). */
export function readShippedList(file: string): string {
  return readFileSync(new URL(`../data/${file}`, import.meta.url), 'utf8')
}
