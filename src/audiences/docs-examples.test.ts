import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDefinition } from './parse-definition.ts'

// Every ```json block of the audience docs is a definition; request and response bodies are ```jsonc.
const docs = readFileSync(resolve(import.meta.dirname, '../../docs/audiences.md'), 'utf8')
const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!)

describe('docs/audiences.md', () => {
  it('has definition examples', () => {
    expect(examples.length).toBeGreaterThan(15)
  })

  it.each(examples.map((text, i) => [i + 1, text]))('example %i parses as written', (_, text) => {
    const parsed = parseDefinition(JSON.parse(text as string))
    expect(parsed.ok ? [] : parsed.issues).toEqual([])
  })
})
