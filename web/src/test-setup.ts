import { initI18n } from './i18n/index.ts'

/** Component tests render in English unless a test switches language. */
export function setUpTexts(language: 'en' | 'zh-CN' = 'en') {
  return initI18n(language)
}
