import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from './en/index.ts'
import { zhCN } from './zh-CN/index.ts'
import type { Locale } from '../format/format.ts'

export const LANGUAGES: Array<{ code: Locale; label: string }> = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]

const STORAGE_KEY = 'chorus.language'

/** The remembered choice, else the browser's language (Chinese → zh-CN, anything else → English). */
export function initialLanguage(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
  if (saved === 'zh-CN' || saved === 'en') return saved
  const browser = globalThis.navigator?.language ?? 'en'
  return browser.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

/** Switches the language and remembers it in this browser. */
export async function setLanguage(code: Locale): Promise<void> {
  globalThis.localStorage?.setItem(STORAGE_KEY, code)
  await i18next.changeLanguage(code)
  if (globalThis.document) document.documentElement.lang = code
}

/** Sets up i18next once; React components read it through react-i18next's useTranslation. */
export function initI18n(language: Locale = initialLanguage()) {
  if (globalThis.document) document.documentElement.lang = language
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    lng: language,
    fallbackLng: 'en',
    // React escapes what it renders; escaping here too would show &lt; to people.
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  return i18next
}

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en }
  }
}
