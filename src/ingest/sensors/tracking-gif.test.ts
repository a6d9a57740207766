import { describe, expect, it } from 'vitest'
import { TRACKING_GIF } from './tracking-gif.ts'

describe('TRACKING_GIF', () => {
  it('is a complete 1×1 GIF89a image', () => {
    expect(TRACKING_GIF.length).toBe(43)
    expect(TRACKING_GIF.subarray(0, 6).toString('latin1')).toBe('GIF89a')
    expect(TRACKING_GIF.readUInt16LE(6)).toBe(1) // logical screen width
    expect(TRACKING_GIF.readUInt16LE(8)).toBe(1) // logical screen height
    expect(TRACKING_GIF.at(-1)).toBe(0x3b) // trailer
  })

  it('marks its one colour transparent', () => {
    // Graphic control extension: 0x21 0xF9, block size 4, packed byte with the transparency bit.
    const gce = TRACKING_GIF.indexOf(Buffer.from([0x21, 0xf9, 0x04]))
    expect(gce).toBeGreaterThan(0)
    expect((TRACKING_GIF[gce + 3] ?? 0) & 0x01).toBe(1)
  })
})
