import { useState } from 'react'
import { useTranslation } from 'react-i18next'

/** A snippet or key with a Copy button (falls back to selecting the text when the clipboard is not allowed). */
export function CopyField({ value, label, multiline = false }: { value: string; label: string; multiline?: boolean }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const copy = async (target: HTMLElement | null) => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    } catch {
      if (target) window.getSelection()?.selectAllChildren(target)
    }
  }
  return (
    <div className={multiline ? 'copy-field multiline' : 'copy-field'}>
      <pre aria-label={label} tabIndex={0}>
        <code>{value}</code>
      </pre>
      <button type="button" className="button secondary small" onClick={(e) => copy(e.currentTarget.previousElementSibling as HTMLElement)}>
        {copied ? t('common.copied') : t('common.copy')}
      </button>
    </div>
  )
}
