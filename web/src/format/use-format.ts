import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useSession } from '../api/session.tsx'
import * as f from './format.ts'

/** The format functions bound to the current language and the workspace's currency and time zone. */
export function useFormat() {
  const { i18n } = useTranslation()
  const { session } = useSession()
  const locale: f.Locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en'
  const currency = session?.workspace.currency ?? 'CNY'
  const timeZone = session?.workspace.timezone ?? 'Asia/Shanghai'
  return useMemo(
    () => ({
      locale,
      currency,
      timeZone,
      money: (minor: number, code: string = currency) => f.formatMoney(minor, code, locale),
      moneyCompact: (minor: number, code: string = currency) => f.formatMoneyCompact(minor, code, locale),
      number: (value: number, digits?: number) => f.formatNumber(value, locale, digits),
      compact: (value: number) => f.formatCompact(value, locale),
      percent: (ratio: number, digits?: number) => f.formatPercent(ratio, locale, digits),
      signedPercent: (ratio: number) => f.formatSignedPercent(ratio, locale),
      date: (value: Date | string | number) => f.formatDate(value, locale, timeZone),
      dateTime: (value: Date | string | number) => f.formatDateTime(value, locale, timeZone),
      day: (value: Date | string | number) => f.formatDay(value, locale, timeZone),
      relative: (value: Date | string | number) => f.formatRelative(value, locale),
      window: (duration: string) => f.formatWindow(duration, locale),
    }),
    [locale, currency, timeZone],
  )
}
