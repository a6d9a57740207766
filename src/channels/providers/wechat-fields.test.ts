import { describe, expect, it } from 'vitest'
import { checkWechatFields } from './wechat-fields.ts'

describe('checkWechatFields', () => {
  it('accepts values within every documented limit', () => {
    expect(
      checkWechatFields({
        thing1: '活力元气水 12 瓶装（柠檬味）',
        number2: '339208499',
        letter3: 'ABC',
        symbol4: '%¥',
        character_string5: 'A-1001_x',
        time6: '15:01',
        date7: '2019年10月1日',
        amount8: '¥59.90元',
        phone_number9: '+86-0766-66888866',
        car_number10: '粤A8Z888挂',
        name11: '欧阳小明',
        phrase12: '配送中',
        keyword1: '旧模板的字段不检查，多长都行，多长都行，多长都行，多长都行',
      }),
    ).toEqual([])
  })

  it('names the field and the rule it breaks', () => {
    expect(
      checkWechatFields({
        thing1: '一二三四五六七八九十一二三四五六七八九十一',
        number2: '12a',
        phrase3: '配送中了吗啊',
        phrase4: 'ok',
        name5: '欧阳一二三四五六七八九',
        name6: 'a'.repeat(21),
        character_string7: '订单A1',
        car_number8: 'A粤8Z888',
        amount9: '59.9元多',
        thing10: '',
      }),
    ).toEqual([
      'thing1 is 21 characters; WeChat allows at most 20 characters',
      'number2 must be a number (digits, optionally with a decimal point)',
      'phrase3 is 6 characters; WeChat allows at most 5 Chinese characters',
      'phrase4 may hold Chinese characters only',
      'name5 is 11 characters; WeChat allows at most 10 characters for a Chinese name',
      'name6 is 21 characters; WeChat allows at most 20 letters for a name without Chinese',
      'character_string7 may hold digits, letters and symbols only (no Chinese characters)',
      'car_number8 must be a plate: letters and digits, Chinese only first and last',
      'amount9 must be one currency symbol and at most 10 digits, optionally with decimals and a closing 元',
      'thing10 is empty; WeChat rejects empty values',
    ])
  })
})
