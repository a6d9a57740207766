import { CLICK_ID_PARAMS } from '../grouping/platforms.ts'

/**
 * The host of an absolute URL, lower-case, without port or credentials; `null` for anything that
 * is not an absolute http(s) URL (mini-program paths, '直接打开', empty strings). Hand-rolled
 * because `new URL()` costs microseconds and the scan reads millions of referrers.
 *
 * @example urlHost('https://www.baidu.com/s?wd=x') // 'www.baidu.com'
 * @example urlHost('pages/index/index')            // null
 */
export function urlHost(url: string | null): string | null {
  if (!url) return null
  const scheme = url.indexOf('://')
  if (scheme <= 0 || scheme > 10) return null
  const protocol = url.slice(0, scheme).toLowerCase()
  if (protocol !== 'http' && protocol !== 'https') return null
  let start = scheme + 3
  let end = url.length
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i)
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i
      break
    }
  }
  let host = url.slice(start, end)
  const at = host.lastIndexOf('@')
  if (at >= 0) host = host.slice(at + 1)
  const colon = host.lastIndexOf(':')
  if (colon >= 0 && !host.endsWith(']')) host = host.slice(0, colon)
  host = host.toLowerCase().replace(/\.$/, '')
  return host === '' ? null : host
}

/**
 * Whether two hosts are the same site: equal once `www.`, `m.` and `wap.` are dropped, or one a
 * subdomain of the other (`shop.brand.cn` and `brand.cn`). A referrer from the same site is
 * navigation inside a visit, not a touchpoint.
 *
 * @example sameSite('www.brand.cn', 'm.brand.cn') // true
 */
export function sameSite(a: string, b: string): boolean {
  const x = a.replace(/^(www|m|wap)\./, '')
  const y = b.replace(/^(www|m|wap)\./, '')
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`)
}

const CLICK_ID_PATTERN = new RegExp(`[?&#](${CLICK_ID_PARAMS.map((p) => p.replace(/[^a-z0-9_]/gi, '')).join('|')})=[^&#]`, 'gi')

/**
 * Names of ad click-id parameters present (with a value) in a landing URL's query.
 *
 * @example clickIdsOf('https://shop.cn/?utm_source=baidu&bd_vid=123', null) // ['bd_vid']
 */
export function clickIdsOf(url: string | null, search: string | null): string[] {
  const found: string[] = []
  for (const text of [search, url]) {
    if (!text || text.indexOf('=') < 0) continue
    for (const match of text.matchAll(CLICK_ID_PATTERN)) {
      const name = match[1]!.toLowerCase()
      if (!found.includes(name)) found.push(name)
    }
  }
  return found
}

const REFERRER_VALUE = /"referrer":"([^"\\]*)"/g
const URL_VALUE = /"url":"([^"\\]*)"/g
const CAMPAIGN_HINT = /"campaign"|utm_|\$scene|"scene"/

/**
 * Whether a stored page or screen payload (JSON text) is navigation inside a visit, decided
 * without parsing it: no campaign, UTM, scene or ad click id anywhere in it, and every
 * `referrer` in it the same site as every `url` (a screen needs no referrer: screens continue the
 * visit an app launch started). Anything it cannot be sure of (no referrer, an escaped quote)
 * says `false`, and the payload is parsed as usual. Most page views of a log are such
 * navigation, so the scan skips parsing them.
 *
 * @example isNavigationInsideVisit('page', '{"context":{"page":{"referrer":"https://shop.cn/a","url":"https://shop.cn/b"}}}') // true
 */
export function isNavigationInsideVisit(type: string, json: string): boolean {
  if (CAMPAIGN_HINT.test(json)) return false
  if (json.indexOf('=') >= 0 && clickIdsOf(json, null).length > 0) return false
  if (type === 'screen') return true
  let site: string | null = null
  let urls = 0
  for (const match of json.matchAll(URL_VALUE)) {
    const host = urlHost(match[1]!)
    if (host === null) return false
    if (site !== null && !sameSite(site, host)) return false
    site = host
    urls++
  }
  if (site === null || urls === 0) return false
  let referrers = 0
  for (const match of json.matchAll(REFERRER_VALUE)) {
    const host = urlHost(match[1]!)
    if (host === null || !sameSite(site, host)) return false
    referrers++
  }
  return referrers > 0
}
