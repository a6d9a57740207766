import { describe, expect, it } from 'vitest'
import { normaliseEmail, normalisePhone } from './normalise.ts'
import { CompiledRules, DEFAULT_IDENTITY_RULES } from './rules.ts'

describe('normalisePhone', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['138-0013-8000', '+8613800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['86-138-0013-8000', '+8613800138000'],
    ['0086 138 0013 8000', '+8613800138000'],
    ['(010) 6552-9988', '+861065529988'],
    ['+1 (415) 555-0100', '+14155550100'],
  ])('%s → %s', (raw, e164) => {
    expect(normalisePhone(raw)).toBe(e164)
  })

  it('refuses what cannot be a phone number', () => {
    expect(normalisePhone('12')).toBeNull()
    expect(normalisePhone('+1234567890123456789')).toBeNull()
  })
})

describe('normaliseEmail', () => {
  it('trims and lower-cases, and refuses non-addresses', () => {
    expect(normaliseEmail('  Li.Lei@Example.COM ')).toBe('li.lei@example.com')
    expect(normaliseEmail('not an email')).toBeNull()
  })
})

describe('blocked identifier values', () => {
  const rules = new CompiledRules(DEFAULT_IDENTITY_RULES)
  it.each(['', 'null', 'NULL', 'undefined', '0', '-1', 'anonymous', 'Guest', '[object Object]', '00000000-0000-0000-0000-000000000000', '000000', 'aaaaaaaa'])('blocks %j', (value) => {
    expect(rules.isBlocked(value)).toBe(true)
  })
  it.each(['u-1', 'a1b2c3', '13800138000', 'oXyZ-openid'])('lets %j link', (value) => {
    expect(rules.isBlocked(value)).toBe(false)
  })
})
