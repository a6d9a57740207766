import { describe, expect, it } from 'vitest'
import { csvLine, parseCsv } from './csv.ts'

describe('CSV', () => {
  it('reads quoted fields, doubled quotes and line breaks inside quotes, keeping the starting line', () => {
    const text = '\ufefftype,value\r\nemail,"a@example.com"\r\n\r\nuser_id,"multi\nline"\nuser_id,"say ""hi"", ok"\n'
    expect([...parseCsv(text)]).toEqual([
      { line: 1, fields: ['type', 'value'] },
      { line: 2, fields: ['email', 'a@example.com'] },
      { line: 4, fields: ['user_id', 'multi\nline'] },
      { line: 6, fields: ['user_id', 'say "hi", ok'] },
    ])
  })

  it('writes what it reads back', () => {
    const fields = ['plain', 'with, comma', 'with "quote"', 'two\nlines', '']
    expect([...parseCsv(csvLine(fields))]).toEqual([{ line: 1, fields }])
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n')
  })
})
