import { describe, expect, it } from 'vitest'
import { childText, parseWechatXml, XmlRejected } from './wechat-xml.ts'

describe('parseWechatXml', () => {
  it('reads text, CDATA, the predefined entities and character references, and repeated nested elements', () => {
    const root = parseWechatXml(`<?xml version="1.0" encoding="UTF-8"?>
      <xml>
        <FromUserName><![CDATA[o<&>x]]></FromUserName>
        <Content>a &lt;b&gt; &amp; &quot;c&quot; &#x548C;&#22768;</Content>
        <SubscribeMsgSentEvent><List><MsgID>1</MsgID></List><List><MsgID>2</MsgID></List></SubscribeMsgSentEvent>
        <Empty/>
      </xml>`)
    expect(childText(root, 'FromUserName')).toBe('o<&>x')
    expect(childText(root, 'Content')).toBe('a <b> & "c" 和声')
    expect(childText(root, 'Empty')).toBe('')
    const lists = root.children.find((c) => c.name === 'SubscribeMsgSentEvent')!.children
    expect(lists.map((l) => childText(l, 'MsgID'))).toEqual(['1', '2'])
  })

  it.each([
    ['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>', 'DOCTYPE'],
    ['a DOCTYPE inside the root', '<xml><!DOCTYPE x><A>1</A></xml>', 'DOCTYPE'],
    ['an entity declaration', '<xml><!ENTITY a "b"><A>1</A></xml>', 'declarations'],
    ['a comment', '<xml><!-- hi --><A>1</A></xml>', 'comments'],
    ['a processing instruction', '<?xml version="1.0"?><?xml-stylesheet href="x"?><xml/>', 'processing instructions'],
    ['an undeclared entity', '<xml><A>&lol;</A></xml>', '&lol;'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>', 'bare'],
    ['attributes', '<xml><A href="x">1</A></xml>', 'attributes'],
    ['a mismatched close', '<xml><A>1</B></xml>', '</B> closes <A>'],
    ['an unclosed element', '<xml><A>1</A>', 'not closed'],
    ['text after the root', '<xml/><xml/>', 'after the root'],
    ['deep nesting', `${'<a>'.repeat(12)}${'</a>'.repeat(12)}`, 'deeper'],
  ])('refuses %s', (_, xml, message) => {
    expect(() => parseWechatXml(xml)).toThrow(XmlRejected)
    expect(() => parseWechatXml(xml)).toThrow(message)
  })
})
