import { BRAND } from './brand.ts'
import { sensorsTrackId } from './id-formats.ts'
import type { Handset } from './personas.ts'
import type { Rng } from './prng.ts'

/**
 * Sensors Data records as `sa-sdk-miniprogram` (1.22, ID-Mapping 3.0) builds them in a WeChat
 * mini program: `lib.$lib = 'MiniProgram'`, preset properties from `wx.getSystemInfo`, an
 * `identities` map that grows as ids are bound and shrinks to the login id after `login()`
 * (the SDK's `identitiesSet({type: 'login'})`), and `_track_id` on every non-profile record.
 * `_flush_time` is added when a batch is sent.
 */
export interface SensorsRecord {
  type: 'track' | 'track_signup' | 'track_id_bind' | 'profile_set'
  event?: string
  distinct_id: string
  anonymous_id: string
  login_id?: string
  original_id?: string
  identities: Record<string, string>
  lib: { $lib: 'MiniProgram'; $lib_method: 'code'; $lib_version: string }
  properties: Record<string, unknown>
  time: number
  _track_id?: number
  _flush_time?: number
}

export const MINI_PROGRAM_LIB_VERSION = '1.22.2'
const LIB = { $lib: 'MiniProgram', $lib_method: 'code', $lib_version: MINI_PROGRAM_LIB_VERSION } as const

/** What the SDK keeps in the phone's storage between launches. */
export interface MiniProgramInstall {
  /** `$identity_mp_id` and the anonymous distinct id. */
  anonymousId: string
  /** End of the local day of the first launch (`first_visit_day_time`), for `$is_first_day`. */
  firstDayEndsMs: number
  identities: Record<string, string>
  loginId: string | null
  handset: Handset
  network: string
  timezoneOffset: number
  /** `$latest_utm_*` and `$latest_scene`, registered from the last launch that had them. */
  latest: Record<string, string>
  currentPath: string
  currentTitle: string
  previousPath: string
  previousTitle: string
}

function presetProperties(install: MiniProgramInstall, atMs: number): Record<string, unknown> {
  return {
    $lib: 'MiniProgram',
    $lib_version: MINI_PROGRAM_LIB_VERSION,
    $brand: install.handset.brand.toUpperCase(),
    $manufacturer: install.handset.brand,
    $model: install.handset.model,
    $os: install.handset.os,
    $os_version: install.handset.osVersion,
    $screen_width: install.handset.screen[0],
    $screen_height: install.handset.screen[1],
    $network_type: install.network,
    $timezone_offset: install.timezoneOffset,
    $app_id: BRAND.miniProgramAppId,
    $mp_client_app_version: '8.0.50',
    $mp_client_basic_library_version: '3.5.8',
    $url_path: install.currentPath,
    $url: install.currentPath,
    $title: install.currentTitle,
    $referrer: install.previousPath,
    $referrer_title: install.previousTitle,
    $is_first_day: atMs < install.firstDayEndsMs,
    ...install.latest,
  }
}

function distinctIds(install: MiniProgramInstall): Pick<SensorsRecord, 'distinct_id' | 'anonymous_id' | 'login_id'> {
  return install.loginId
    ? { distinct_id: install.loginId, anonymous_id: install.anonymousId, login_id: install.loginId }
    : { distinct_id: install.anonymousId, anonymous_id: install.anonymousId }
}

function identitiesOf(install: MiniProgramInstall): Record<string, string> {
  return { ...install.identities, $identity_anonymous_id: install.anonymousId }
}

/** `sensors.track(event, properties)`, including the automatic `$MP*` events. */
export function trackRecord(rng: Rng, atMs: number, install: MiniProgramInstall, event: string, properties: Record<string, unknown>): SensorsRecord {
  return {
    type: 'track',
    event,
    ...distinctIds(install),
    identities: identitiesOf(install),
    lib: LIB,
    properties: { ...presetProperties(install, atMs), ...properties },
    time: atMs,
    _track_id: sensorsTrackId(rng, atMs),
  }
}

/** `sensors.bind(key, value)` / `bindOpenid` / `bindUnionid`: a `$BindID` with the new id in `identities`. */
export function bindRecord(rng: Rng, atMs: number, install: MiniProgramInstall, key: string, value: string): SensorsRecord {
  install.identities[key] = value
  return {
    type: 'track_id_bind',
    event: '$BindID',
    ...distinctIds(install),
    identities: identitiesOf(install),
    lib: LIB,
    properties: presetProperties(install, atMs),
    time: atMs,
    _track_id: sensorsTrackId(rng, atMs),
  }
}

/**
 * `sensors.login(loginId)`: a `track_signup` `$SignUp` whose identities hold every id known so far
 * plus the login id; afterwards the SDK keeps only `$identity_mp_id` and the login id.
 */
export function loginRecord(rng: Rng, atMs: number, install: MiniProgramInstall, loginId: string): SensorsRecord {
  install.identities.$identity_login_id = loginId
  const identities = identitiesOf(install)
  install.loginId = loginId
  const record: SensorsRecord = {
    type: 'track_signup',
    event: '$SignUp',
    distinct_id: loginId,
    original_id: install.anonymousId,
    anonymous_id: install.anonymousId,
    login_id: loginId,
    identities,
    lib: LIB,
    properties: presetProperties(install, atMs),
    time: atMs,
    _track_id: sensorsTrackId(rng, atMs),
  }
  install.identities = { $identity_mp_id: install.anonymousId, $identity_login_id: loginId }
  return record
}

/** `sensors.setProfile(properties)`: profile records carry no `_track_id` and no preset properties. */
export function profileSetRecord(atMs: number, install: MiniProgramInstall, properties: Record<string, unknown>): SensorsRecord {
  return {
    type: 'profile_set',
    ...distinctIds(install),
    identities: identitiesOf(install),
    lib: LIB,
    properties,
    time: atMs,
  }
}

/** A new launch starts a new page stack: the first page's referrer is '直接打开' (opened directly). */
export function relaunch(install: MiniProgramInstall): void {
  install.currentPath = ''
  install.currentTitle = ''
}

/** Moves the SDK's notion of the current page (for `$url_path`, `$referrer`). */
export function navigate(install: MiniProgramInstall, path: string, title: string): void {
  install.previousPath = install.currentPath || '直接打开'
  install.previousTitle = install.currentTitle
  install.currentPath = path
  install.currentTitle = title
}
