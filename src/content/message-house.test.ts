import { describe, expect, it } from 'vitest'
import { parseMessageHouse } from './message-house.ts'

const valid = {
  brand: '和声跑鞋',
  coreMessage: '轻盈缓震，让每一次奔跑都更远。',
  pillars: [{ name: '轻盈缓震', keyPhrases: ['轻盈缓震'] }],
}

describe('parseMessageHouse', () => {
  it('accepts a minimal house and fills the defaults', () => {
    const result = parseMessageHouse(valid)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.house.pillars[0]).toEqual({ name: '轻盈缓震', keyPhrases: ['轻盈缓震'], synonyms: {}, proofPoints: [], benefits: {} })
    expect(result.house.forbiddenWords).toEqual([])
    expect(result.house.visualIdentity).toEqual({ colours: [], fonts: [] })
  })

  it('takes forbidden words as plain strings or with a reason', () => {
    const result = parseMessageHouse({ ...valid, forbiddenWords: ['治愈', { text: '药', reason: 'we sell shoes' }] })
    expect(result.ok && result.house.forbiddenWords).toEqual([
      { text: '治愈', reason: undefined },
      { text: '药', reason: 'we sell shoes' },
    ])
  })

  it.each([
    ['a core message of two sentences', { coreMessage: '轻盈缓震。跑得更远。' }, 'coreMessage', 'one sentence; found 2'],
    ['a translation of two sentences', { coreMessageTranslations: { en: 'Light. Far.' } }, 'coreMessageTranslations.en', 'one sentence'],
    ['no pillars', { pillars: [] }, 'pillars', ''],
    ['a pillar twice', { pillars: [valid.pillars[0], valid.pillars[0]] }, 'pillars.1.name', 'appears twice'],
    ['a key phrase that is also forbidden', { forbiddenWords: ['轻盈缓震'] }, 'forbiddenWords.0', 'both a key phrase and a forbidden word'],
    ['a colour that is not #RRGGBB', { visualIdentity: { colours: [{ name: 'red', hex: 'red' }] } }, 'visualIdentity.colours.0.hex', '#RRGGBB'],
    ['an unknown stage', { mandatoryElements: [{ name: 'CTA', kind: 'cta', anyOf: ['买'], stages: ['purchase'] }] }, 'mandatoryElements.0.stages.0', ''],
  ])('rejects %s, saying where', (_name, change, path, message) => {
    const result = parseMessageHouse({ ...valid, ...change })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.kind).toBe('InvalidMessageHouse')
    const issue = result.issues.find((i) => i.path === path)
    expect(issue, JSON.stringify(result.issues)).toBeDefined()
    expect(issue!.message).toContain(message)
  })
})
