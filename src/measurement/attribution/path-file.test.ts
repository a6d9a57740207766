import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readPathFile, readPathLines, splitRecord } from './path-file.ts'

const HEADER = 'path;total_conversions;total_conversion_value;total_null'
const dir = mkdtempSync(join(tmpdir(), 'chorus-path-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const channelsOf = (paths: { channels: readonly string[]; touches: Int32Array; offsets: Uint32Array }, i: number) =>
  Array.from(paths.touches.subarray(paths.offsets[i]!, paths.offsets[i + 1]!), (id) => paths.channels[id]!)

describe('readPathFile', () => {
  it('reads ChannelAttribution-style rows with trimmed channel names', async () => {
    const file = join(dir, 'good.csv')
    writeFileSync(file, `${HEADER}\neta > iota > alpha > eta;1;0.244;3\nbeta;2;3.5;0\n`)
    const result = await readPathFile(file)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.report).toEqual({ rows: 2, accepted: 2, rejected: 0, badRows: [] })
    expect(channelsOf(result.paths, 0)).toEqual(['eta', 'iota', 'alpha', 'eta'])
    expect(Array.from(result.paths.conversions)).toEqual([1, 2])
    expect(Array.from(result.paths.values)).toEqual([0.244, 3.5])
    expect(Array.from(result.paths.nulls)).toEqual([3, 0])
  })

  it('reports every bad row with its line number and keeps the good ones', async () => {
    const file = join(dir, 'bad.csv')
    writeFileSync(
      file,
      [
        HEADER,
        'a > b;1;10;2', // line 2: good
        ';1;1;1', // 3: no path
        'c > > d;1;2;3', // 4: empty channel
        '', // 5: blank, skipped
        'e;x;1;1', // 6: conversions not a number
        'f;1;2', // 7: a field missing
        'g;1;-2;0', // 8: negative value
        'h;0;5;1', // 9: value without conversions
        '"i;j;1;1;1', // 10: open quote
        'k;2;5;0', // 11: good
      ].join('\n'),
    )
    const result = await readPathFile(file)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.report.rows).toBe(9)
    expect(result.report.accepted).toBe(2)
    expect(result.report.rejected).toBe(7)
    expect(result.report.badRows).toEqual([
      { line: 3, reason: 'path is empty' },
      { line: 4, reason: 'channel 2 of the path is empty' },
      { line: 6, reason: 'total_conversions is not a number: "x"' },
      { line: 7, reason: 'expected 4 fields separated by ";", found 3' },
      { line: 8, reason: 'total_conversion_value must be ≥ 0 (got -2)' },
      { line: 9, reason: 'a path with conversion value must have conversions > 0' },
      { line: 10, reason: 'a quoted field is not closed on this line' },
    ])
    expect(result.paths.size).toBe(2)
    expect(channelsOf(result.paths, 1)).toEqual(['k'])
  })

  it('fails the whole file when a column is missing, naming what it found', async () => {
    const file = join(dir, 'header.csv')
    writeFileSync(file, 'path,total_conversions,total_conversion_value,total_null\na,1,1,1\n')
    const result = await readPathFile(file)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.kind).toBe('BadHeader')
    expect(result.error.message).toContain('no column "path"')
    expect(result.error.message).toContain('separator ";"')
  })

  it('reads other layouts through its options', async () => {
    const file = join(dir, 'custom.csv')
    writeFileSync(file, '\uFEFFconv,journey,nulls,revenue\r\n3,"search|email, promo|direct",1,30\r\n')
    const result = await readPathFile(file, {
      sep: ',',
      pathCol: 'journey',
      convCol: 'conv',
      valueCol: 'revenue',
      nullCol: 'nulls',
      pathSep: '|',
    })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.report.rejected).toBe(0)
    expect(channelsOf(result.paths, 0)).toEqual(['search', 'email, promo', 'direct'])
    expect(result.paths.values[0]).toBe(30)
  })

  it('says an empty file has no header', async () => {
    const result = await readPathLines([])
    expect(result).toEqual({ ok: false, error: { kind: 'EmptyFile', message: 'the file is empty: expected a header line' } })
  })

  it('lists at most the configured number of bad rows but counts them all', async () => {
    const lines = [HEADER, ...Array.from({ length: 5 }, () => 'a;?;1;1')]
    const result = await readPathLines(lines, { maxListedBadRows: 2 })
    expect(result.ok && result.report.rejected).toBe(5)
    expect(result.ok && result.report.badRows.map((b) => b.line)).toEqual([2, 3])
  })
})

describe('splitRecord', () => {
  it('keeps separators inside quotes and unescapes doubled quotes', () => {
    expect(splitRecord('"a;b";"say ""hi""";c', ';')).toEqual(['a;b', 'say "hi"', 'c'])
  })

  it('keeps empty fields', () => {
    expect(splitRecord(';x;', ';')).toEqual(['', 'x', ''])
    expect(splitRecord('"";x', ';')).toEqual(['', 'x'])
  })
})
