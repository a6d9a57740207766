import { describe, expect, it } from 'vitest'
import { stem } from './porter-stemmer.ts'

describe('stem (Porter 1980)', () => {
  it.each([
    ['running', 'run'],
    ['runs', 'run'],
    ['run', 'run'],
    ['runner', 'runner'],
    ['shoes', 'shoe'],
    ['cushioning', 'cushion'],
  ])('reduces %s to %s', (word, expected) => {
    expect(stem(word)).toBe(expected)
  })

  // The worked examples printed in the paper, step by step.
  it.each([
    // step 1a
    ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'ti'], ['caress', 'caress'], ['cats', 'cat'],
    // step 1b
    ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'], ['bled', 'bled'], ['motoring', 'motor'],
    ['sing', 'sing'], ['conflated', 'conflat'], ['troubled', 'troubl'], ['sized', 'size'], ['hopping', 'hop'],
    ['tanned', 'tan'], ['falling', 'fall'], ['hissing', 'hiss'], ['fizzed', 'fizz'], ['failing', 'fail'], ['filing', 'file'],
    // step 1c
    ['happy', 'happi'], ['sky', 'sky'],
    // steps 2–5, whole-word results
    ['relational', 'relat'], ['conditional', 'condit'], ['rational', 'ration'], ['digitizer', 'digit'],
    ['operator', 'oper'], ['feudalism', 'feudal'], ['decisiveness', 'decis'], ['hopefulness', 'hope'],
    ['callousness', 'callous'], ['formality', 'formal'], ['sensitivity', 'sensit'], ['sensibility', 'sensibl'],
    ['triplicate', 'triplic'], ['formative', 'form'], ['formalize', 'formal'], ['electrical', 'electr'],
    ['hopeful', 'hope'], ['goodness', 'good'], ['revival', 'reviv'], ['allowance', 'allow'], ['inference', 'infer'],
    ['airliner', 'airlin'], ['adjustable', 'adjust'], ['defensible', 'defens'], ['irritant', 'irrit'],
    ['replacement', 'replac'], ['adjustment', 'adjust'], ['dependent', 'depend'], ['adoption', 'adopt'],
    ['communism', 'commun'], ['activate', 'activ'], ['effective', 'effect'], ['bowdlerize', 'bowdler'],
    ['probate', 'probat'], ['rate', 'rate'], ['cease', 'ceas'], ['controlling', 'control'], ['roll', 'roll'],
    ['generalizations', 'gener'], ['oscillators', 'oscil'],
  ])('follows the paper: %s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected)
  })

  it('leaves short words, upper case and non-Latin text alone', () => {
    expect(stem('is')).toBe('is')
    expect(stem('Running')).toBe('Running')
    expect(stem('跑步')).toBe('跑步')
  })
})
