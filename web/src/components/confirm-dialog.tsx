import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * A confirmation for something that cannot be undone. When `typeToConfirm` is set the person
 * must type it first (deleting a customer, for instance).
 */
export function ConfirmDialog(props: {
  title: string
  children: ReactNode
  confirmLabel: string
  danger?: boolean
  typeToConfirm?: string
  busy?: boolean
  onConfirm(): void
  onCancel(): void
}) {
  const { t } = useTranslation()
  const [typed, setTyped] = useState('')
  const dialog = useRef<HTMLDivElement>(null)
  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('input, button')?.focus()
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && props.onCancel()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [props])
  const ready = !props.typeToConfirm || typed.trim() === props.typeToConfirm
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title" ref={dialog}>
        <h2 id="confirm-title">{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        {props.typeToConfirm && (
          <label className="field">
            <span>{t('common.typeToConfirm', { text: props.typeToConfirm })}</span>
            <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </label>
        )}
        <div className="modal-actions">
          <button type="button" className="button secondary" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
          <button type="button" className={props.danger ? 'button danger' : 'button'} disabled={!ready || props.busy} onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  )
}
