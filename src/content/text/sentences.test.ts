import { describe, expect, it } from 'vitest'
import { splitSentences } from './sentences.ts'

describe('splitSentences', () => {
  it.each([
    ['轻盈缓震，让每一次奔跑都更远。', ['轻盈缓震，让每一次奔跑都更远。']],
    ['真的吗？！当然。', ['真的吗？！', '当然。']],
    ['他说：“跑起来。”然后出发了。', ['他说：“跑起来。”', '然后出发了。']],
    ['等一下……好了', ['等一下……', '好了']],
    ['Run further. Shop now!', ['Run further.', 'Shop now!']],
    ['Now ¥199.00, No. 1 in comfort? Yes.', ['Now ¥199.00, No. 1 in comfort?', 'Yes.']],
    ['e.g. this one. Next', ['e.g. this one.', 'Next']],
    ['Light shoes.轻盈跑鞋。', ['Light shoes.', '轻盈跑鞋。']],
    ['第一行\n第二行', ['第一行', '第二行']],
    ['11.11 大促 5.20 见', ['11.11 大促 5.20 见']],
  ])('splits %j', (text, expected) => {
    expect(splitSentences(text).map((s) => s.text)).toEqual(expected)
  })

  it('keeps offsets into the original text', () => {
    const text = '  第一句。 Second one.'
    for (const sentence of splitSentences(text)) expect(text.slice(sentence.start, sentence.end)).toBe(sentence.text)
  })
})
