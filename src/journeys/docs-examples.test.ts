import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JourneyNode } from './definition/schema.ts'
import { validateDefinition } from './definition/validate.ts'
import { GuardRails } from './guard-rails/settings.ts'
import { BroadcastInput } from './broadcasts/schema.ts'

const doc = readFileSync(resolve(process.cwd(), 'docs/journeys.md'), 'utf8')
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!)

describe('docs/journeys.md examples', () => {
  it('has examples of every kind', () => {
    expect(blocks.length).toBeGreaterThan(10)
  })

  it.each(blocks.map((b, i) => [i, b] as const))('example %i is valid as written', (_, block) => {
    if (block.includes('"error"') || block.includes('…')) {
      expect(() => JSON.parse(block.replace(/…/g, ''))).not.toThrow()
      return
    }
    const value = JSON.parse(block) as Record<string, unknown>
    if ('nodes' in value) {
      const result = validateDefinition(value, { channels: ['email', 'sms', 'wechat', 'webhook'] })
      expect(result.kind === 'Invalid' ? result.problems : []).toEqual([])
    } else if ('frequencyCaps' in value) GuardRails.parse(value)
    else if ('audienceId' in value) BroadcastInput.parse(value)
    else if ('counts' in value) expect(value.status).toBeDefined()
    else JourneyNode.parse(value)
  })
})
