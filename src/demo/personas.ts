/**
 * Who buys a functional drink: five personas with different media habits, shops and rhythms.
 * Affinities multiply how often a person is reached by each causal channel (order of
 * `CAUSAL_CHANNELS`); venue weights follow `VENUES`.
 */

export interface Persona {
  key: string
  name: string
  share: number
  /** Daily purchase hazard with no marketing, before the personal propensity. */
  baseHazard: number
  ages: readonly [number, number]
  /** [official account, douyin, xiaohongshu, weibo, baidu, sms, email] */
  affinity: readonly number[]
  /** Weights of the preferred channel over the same order. */
  preferred: readonly number[]
  /** [brand_site, wechat_mini_program, tmall, jd, pos] */
  venues: readonly number[]
  memberRate: number
  followRate: number
  emailRate: number
  /** Drinks a buyer gets through per day. */
  servingsPerDay: number
  iosShare: number
  desktopShare: number
  /** Relative activity per local hour 0–23. */
  hours: readonly number[]
}

const OFFICE_HOURS = [1, 0.5, 0.2, 0.1, 0.1, 0.2, 0.6, 2, 3, 3, 3, 3.5, 5, 4, 3, 3, 3, 3.5, 4, 5, 6, 6.5, 5, 2.5]
const STUDENT_HOURS = [3, 2, 1, 0.4, 0.2, 0.2, 0.3, 1, 2, 2.5, 3, 3.5, 4.5, 4, 3, 3, 3.5, 4, 4.5, 5, 6, 6.5, 6, 4.5]
const PARENT_HOURS = [0.8, 0.4, 0.2, 0.2, 0.3, 0.6, 1.5, 2.5, 3, 4, 4.5, 4, 3.5, 4.5, 4.5, 3.5, 3, 3, 2.5, 3.5, 5, 6, 5, 2]
const SENIOR_HOURS = [0.2, 0.1, 0.1, 0.1, 0.3, 1.5, 4, 6, 6.5, 6, 5, 4, 3, 2.5, 3.5, 4, 4, 3.5, 3, 3.5, 3.5, 2.5, 1, 0.4]

export const PERSONAS: readonly Persona[] = [
  {
    key: 'fitness_professional', name: '健身白领', share: 0.24, baseHazard: 0.0021, ages: [24, 38],
    affinity: [1.0, 1.0, 1.4, 0.8, 1.1, 1.0, 1.4], preferred: [2, 2.5, 3, 1, 1, 0.5, 1],
    venues: [0.18, 0.22, 0.25, 0.12, 0.23], memberRate: 0.34, followRate: 0.45, emailRate: 0.7,
    servingsPerDay: 0.9, iosShare: 0.62, desktopShare: 0.45, hours: OFFICE_HOURS,
  },
  {
    key: 'college_student', name: '大学生', share: 0.22, baseHazard: 0.0015, ages: [18, 23],
    affinity: [0.6, 1.6, 1.2, 1.3, 0.8, 0.6, 0.5], preferred: [0.5, 4, 2.5, 2, 0.5, 0.2, 0.2],
    venues: [0.08, 0.2, 0.38, 0.22, 0.12], memberRate: 0.18, followRate: 0.25, emailRate: 0.55,
    servingsPerDay: 0.6, iosShare: 0.5, desktopShare: 0.35, hours: STUDENT_HOURS,
  },
  {
    key: 'young_mother', name: '宝妈', share: 0.2, baseHazard: 0.0014, ages: [27, 40],
    affinity: [1.2, 1.1, 1.6, 0.7, 0.9, 1.1, 0.6], preferred: [2.5, 2, 4, 0.5, 0.5, 0.5, 0.3],
    venues: [0.1, 0.3, 0.32, 0.18, 0.1], memberRate: 0.3, followRate: 0.5, emailRate: 0.35,
    servingsPerDay: 0.5, iosShare: 0.55, desktopShare: 0.15, hours: PARENT_HOURS,
  },
  {
    key: 'silver_generation', name: '银发族', share: 0.14, baseHazard: 0.001, ages: [58, 75],
    affinity: [1.5, 0.9, 0.2, 0.3, 0.6, 1.3, 0.2], preferred: [4, 2, 0.2, 0.3, 0.5, 1.5, 0.1],
    venues: [0.04, 0.16, 0.08, 0.07, 0.65], memberRate: 0.4, followRate: 0.55, emailRate: 0.1,
    servingsPerDay: 0.4, iosShare: 0.3, desktopShare: 0.05, hours: SENIOR_HOURS,
  },
  {
    key: 'overtime_worker', name: '加班族', share: 0.2, baseHazard: 0.0019, ages: [23, 40],
    affinity: [0.9, 1.2, 0.8, 1.1, 1.2, 0.8, 1.0], preferred: [1.5, 3, 1, 2, 1.5, 0.3, 0.8],
    venues: [0.14, 0.18, 0.28, 0.22, 0.18], memberRate: 0.25, followRate: 0.3, emailRate: 0.65,
    servingsPerDay: 1.0, iosShare: 0.58, desktopShare: 0.6, hours: OFFICE_HOURS,
  },
]

export interface City {
  name: string
  timeZone: string
  weight: number
}

/** Mostly Chinese cities on Asia/Shanghai; some people live in other zones. */
export const CITIES: readonly City[] = [
  { name: '上海', timeZone: 'Asia/Shanghai', weight: 14 },
  { name: '北京', timeZone: 'Asia/Shanghai', weight: 12 },
  { name: '广州', timeZone: 'Asia/Shanghai', weight: 8 },
  { name: '深圳', timeZone: 'Asia/Shanghai', weight: 8 },
  { name: '杭州', timeZone: 'Asia/Shanghai', weight: 6 },
  { name: '成都', timeZone: 'Asia/Shanghai', weight: 6 },
  { name: '武汉', timeZone: 'Asia/Shanghai', weight: 5 },
  { name: '南京', timeZone: 'Asia/Shanghai', weight: 5 },
  { name: '重庆', timeZone: 'Asia/Shanghai', weight: 5 },
  { name: '西安', timeZone: 'Asia/Shanghai', weight: 4 },
  { name: '苏州', timeZone: 'Asia/Shanghai', weight: 4 },
  { name: '长沙', timeZone: 'Asia/Shanghai', weight: 3 },
  { name: '郑州', timeZone: 'Asia/Shanghai', weight: 3 },
  { name: '青岛', timeZone: 'Asia/Shanghai', weight: 3 },
  { name: '乌鲁木齐', timeZone: 'Asia/Urumqi', weight: 1.2 },
  { name: '香港', timeZone: 'Asia/Hong_Kong', weight: 1.5 },
  { name: '新加坡', timeZone: 'Asia/Singapore', weight: 1 },
  { name: '东京', timeZone: 'Asia/Tokyo', weight: 0.8 },
  { name: '悉尼', timeZone: 'Australia/Sydney', weight: 0.7 },
  { name: '伦敦', timeZone: 'Europe/London', weight: 0.6 },
  { name: '温哥华', timeZone: 'America/Vancouver', weight: 0.6 },
]

/** Common surnames with their pinyin, weighted roughly by frequency. */
export const SURNAMES: readonly (readonly [string, string, number])[] = [
  ['王', 'wang', 7.1], ['李', 'li', 7.0], ['张', 'zhang', 6.7], ['刘', 'liu', 5.4], ['陈', 'chen', 4.5],
  ['杨', 'yang', 3.1], ['黄', 'huang', 2.2], ['赵', 'zhao', 2.2], ['吴', 'wu', 2.0], ['周', 'zhou', 1.9],
  ['徐', 'xu', 1.5], ['孙', 'sun', 1.5], ['马', 'ma', 1.4], ['朱', 'zhu', 1.3], ['胡', 'hu', 1.3],
  ['郭', 'guo', 1.2], ['何', 'he', 1.2], ['林', 'lin', 1.1], ['高', 'gao', 1.1], ['罗', 'luo', 1.0],
]

export const GIVEN_NAME_PARTS: readonly (readonly [string, string])[] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
  ['磊', 'lei'], ['洋', 'yang'], ['艳', 'yan'], ['勇', 'yong'], ['军', 'jun'], ['杰', 'jie'], ['娟', 'juan'],
  ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀', 'xiu'], ['霞', 'xia'], ['平', 'ping'], ['婷', 'ting'],
  ['浩', 'hao'], ['宇', 'yu'], ['欣', 'xin'], ['怡', 'yi'], ['子', 'zi'], ['涵', 'han'], ['晨', 'chen'],
  ['思', 'si'], ['雨', 'yu'], ['博', 'bo'], ['嘉', 'jia'], ['悦', 'yue'], ['佳', 'jia'], ['俊', 'jun'],
]

/** Chinese mobile prefixes (China Mobile, Unicom, Telecom). */
export const MOBILE_PREFIXES: readonly string[] = [
  '134', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '182', '183', '187',
  '188', '130', '131', '132', '155', '156', '185', '186', '133', '153', '180', '181', '189', '177', '199',
]

export interface Handset {
  os: 'iOS' | 'Android'
  brand: string
  model: string
  osVersion: string
  screen: readonly [number, number]
}

export const HANDSETS: readonly Handset[] = [
  { os: 'iOS', brand: 'iPhone', model: 'iPhone 15 Pro', osVersion: '17.5.1', screen: [393, 852] },
  { os: 'iOS', brand: 'iPhone', model: 'iPhone 14', osVersion: '17.4', screen: [390, 844] },
  { os: 'iOS', brand: 'iPhone', model: 'iPhone 13', osVersion: '16.7.8', screen: [390, 844] },
  { os: 'Android', brand: 'HUAWEI', model: 'Mate 60 Pro', osVersion: '12', screen: [412, 915] },
  { os: 'Android', brand: 'Xiaomi', model: 'Xiaomi 14', osVersion: '14', screen: [393, 873] },
  { os: 'Android', brand: 'OPPO', model: 'Reno11', osVersion: '14', screen: [412, 915] },
  { os: 'Android', brand: 'vivo', model: 'X100', osVersion: '14', screen: [400, 890] },
  { os: 'Android', brand: 'HONOR', model: 'Magic6', osVersion: '14', screen: [412, 915] },
]
