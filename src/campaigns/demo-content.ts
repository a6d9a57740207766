/**
 * The demo brand's launch copy: the 活力健康 message house of 和声优品 for 活力元气水, and its
 * content matrix. Most variants are clean; four carry problems the checks are there to catch:
 * a 全网第一 (advertising-law ranking claim), a Xiaohongshu title over the 20-unit limit, an email
 * quoting a 12-pack price (¥69) that differs from the other variants' ¥72, and an SMS without a
 * way to refuse more messages. Prices and names follow src/demo/brand.ts.
 */

export const DEMO_HOUSE = {
  brand: '和声优品',
  coreMessage: '活力元气水补充电解质，0糖0脂，让活力健康每一天。',
  coreMessageTranslations: { en: 'Yuanqi Water restores electrolytes with zero sugar and zero fat, for healthy energy every day.' },
  pillars: [
    {
      name: '补充电解质',
      keyPhrases: ['补充电解质', '快速补水'],
      synonyms: { 补充: ['补足', '补'], 快速: ['迅速'] },
      proofPoints: ['每瓶含钠钾镁三种电解质', '渗透压接近体液'],
      benefits: { 健身白领: ['运动后快速补水'], 加班族: ['熬夜加班补充电解质'] },
    },
    {
      name: '0糖0脂',
      keyPhrases: ['0糖0脂'],
      synonyms: { '0糖': ['零糖', '无糖'], '0脂': ['零脂'] },
      proofPoints: ['赤藓糖醇代糖'],
      benefits: { 宝妈: ['全家都能放心喝'] },
    },
    {
      name: '活力健康',
      keyPhrases: ['活力健康', '元气满满'],
      synonyms: { 活力: ['元气'] },
      proofPoints: [],
      benefits: { 大学生: ['早八也元气满满'] },
    },
  ],
  toneWords: ['清爽', '真诚', '有活力'],
  mandatoryElements: [
    { name: '品牌', kind: 'brand', anyOf: ['和声优品', '活力元气水'], severity: 'warn' },
    { name: '行动号召', kind: 'cta', anyOf: ['立即购买', '点击购买', '去天猫', '进店', '领券'], stages: ['decision'], severity: 'warn' },
  ],
  forbiddenWords: [{ text: '治愈', reason: '普通食品不得宣称疗效（《广告法》第十七条）' }],
  forbiddenClaims: [{ text: '治疗 疲劳', reason: '不得暗示治疗作用' }],
  visualIdentity: { colours: [{ name: '元气红', hex: '#E60012', role: 'primary' }, { name: '清爽白', hex: '#FFFFFF' }], fonts: [{ name: '思源黑体', role: 'headline' }] },
}

export interface DemoVariant {
  key: string
  channel: string
  stage: 'awareness' | 'consideration' | 'decision' | 'loyalty'
  persona?: string
  fields: Record<string, string>
  hashtags?: string[]
  /** Where the review flow leaves it. */
  finalState: 'draft' | 'in_review' | 'approved' | 'published'
  /** Why a reviewer sent it back (rejected variants go back to draft). */
  rejection?: string
  /** The deliberate problem, for the docs and the tests. */
  problem?: 'ranking-claim' | 'title-too-long' | 'price-differs' | 'no-opt-out'
}

export const DEMO_VARIANTS: readonly DemoVariant[] = [
  {
    key: 'weibo-launch',
    channel: 'weibo-post',
    stage: 'awareness',
    fields: { body: '#活力元气水# 和声优品新品上市！补充电解质，0糖0脂，让活力健康每一天。转发抽100人送整箱 #元气挑战#' },
    finalState: 'published',
  },
  {
    key: 'douyin-launch',
    channel: 'douyin-caption',
    stage: 'awareness',
    persona: '大学生',
    fields: { body: '全网第一的电解质水来了！和声优品活力元气水，早八也元气满满' },
    hashtags: ['活力元气水', '元气挑战'],
    finalState: 'draft',
    rejection: '“全网第一”是绝对化用语，去掉后再提交',
    problem: 'ranking-claim',
  },
  {
    key: 'xhs-note',
    channel: 'xiaohongshu-note',
    stage: 'consideration',
    persona: '健身白领',
    fields: {
      title: '练完必喝！这瓶0糖0脂的电解质水让我每天元气满满真的绝了',
      body: '姐妹们，最近健身后都在喝和声优品的活力元气水💧 每瓶含钠钾镁三种电解质，运动后快速补水，0糖0脂不怕胖。白桃味是我的心头好，清爽不腻～活力健康每一天！',
    },
    hashtags: ['活力元气水', '健身补水', '0糖饮料'],
    finalState: 'in_review',
    problem: 'title-too-long',
  },
  {
    key: 'wechat-article',
    channel: 'wechat-article',
    stage: 'consideration',
    fields: {
      title: '活力健康的秘密：一瓶水里的电解质',
      digest: '和声优品活力元气水，补充电解质，0糖0脂。',
      body: '流汗之后，身体流失的不只是水，还有钠、钾、镁等电解质。和声优品活力元气水每瓶含钠钾镁三种电解质，渗透压接近体液，帮你快速补水；赤藓糖醇代糖，0糖0脂。原味、青柠、白桃三种口味，12瓶装到手价¥72。点击阅读原文，立即购买，让活力健康每一天。',
      cta: '立即购买',
    },
    finalState: 'published',
  },
  {
    key: 'baidu-ad',
    channel: 'baidu-search-ad',
    stage: 'consideration',
    fields: {
      title: '和声优品活力元气水 补充电解质',
      description1: '0糖0脂电解质水，钠钾镁三种电解质，运动后快速补水。',
      description2: '12瓶装到手价¥72，官网下单次日达。',
      link: 'https://www.heshengyoupin.example/products/yuanqi-water',
      displayUrl: 'www.heshengyoupin.example',
    },
    finalState: 'approved',
  },
  {
    key: 'sms-decision',
    channel: 'sms',
    stage: 'decision',
    fields: { signature: '【和声优品】', body: '活力元气水12瓶装到手价¥72，补充电解质，0糖0脂，点击购买 https://www.heshengyoupin.example/s/yq 拒收请回复R' },
    finalState: 'published',
  },
  {
    key: 'email-decision',
    channel: 'email',
    stage: 'decision',
    persona: '宝妈',
    fields: {
      subject: '广告：活力元气水12瓶装限时¥69',
      body: '您好！和声优品活力元气水补充电解质，0糖0脂，全家都能放心喝。12瓶装到手价¥69，立即购买：https://www.heshengyoupin.example/products/yuanqi-water-12-pack 。不想再收到此类邮件？点击退订。',
      cta: '立即购买',
      link: 'https://www.heshengyoupin.example/products/yuanqi-water-12-pack',
    },
    finalState: 'in_review',
    problem: 'price-differs',
  },
  {
    key: 'pop-store',
    channel: 'offline-pop',
    stage: 'decision',
    fields: { headline: '活力元气水 新品上市', body: '补充电解质 0糖0脂 活力健康每一天', cta: '扫码领券 立即购买' },
    finalState: 'published',
  },
  {
    key: 'sms-loyalty',
    channel: 'sms',
    stage: 'loyalty',
    fields: { signature: '【和声优品】', body: '会员专享：活力元气水复购领券满100减15，元气满满每一天！' },
    finalState: 'draft',
    problem: 'no-opt-out',
  },
]

export const DEMO_ASSETS = [
  { key: 'kv', asset: { kind: 'image', url: 'https://cdn.heshengyoupin.example/yuanqi/kv-1080x1440.jpg', title: '活力元气水 上市主视觉', description: '三瓶装配色：原味、青柠、白桃', tags: ['主视觉', 'KV', '活力健康'], meta: { width: 1080, height: 1440, altText: '活力元气水三种口味' } }, usedBy: ['xhs-note', 'wechat-article', 'weibo-launch'] },
  { key: 'tvc', asset: { kind: 'video', url: 'https://video.heshengyoupin.example/yuanqi/tvc-15s.mp4', title: 'Hydration every day — 15s TVC', description: '运动后补水的15秒视频', tags: ['TVC', '视频', 'hydration'], meta: { durationSeconds: 15 } }, usedBy: ['douyin-launch'] },
  { key: 'pop', asset: { kind: 'image', url: 'https://cdn.heshengyoupin.example/yuanqi/pop-a3.png', title: '门店 POP A3', tags: ['门店', 'POP'], meta: { width: 2480, height: 3508 } }, usedBy: ['pop-store'] },
] as const
