import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { JourneyDefinition, JourneyNode } from './types.ts'

export const JOURNEY_CHANNELS = ['email', 'sms', 'wechat', 'wechat_mini', 'wecom', 'webhook', 'inbox'] as const
const NEW_TYPES = ['send', 'delay', 'wait_for_event', 'random_split', 'exit'] as const

/** A new step of a type, pointing at `next`, with an id not yet used. */
export function newNode(type: (typeof NEW_TYPES)[number], definition: JourneyDefinition, next: string): JourneyNode {
  let n = definition.nodes.length + 1
  while (definition.nodes.some((x) => x.id === `${type.replace('_', '-')}-${n}`)) n++
  const id = `${type.replace('_', '-')}-${n}`
  switch (type) {
    case 'send':
      return { id, type, channel: 'sms', message: { text: '' }, next }
    case 'delay':
      return { id, type, for: '1d', next }
    case 'wait_for_event':
      return { id, type, event: 'Order Completed', timeout: '3d', onEvent: next, onTimeout: next }
    case 'random_split':
      return { id, type, branches: [{ key: 'a', percent: 90, next }, { key: 'holdout', percent: 10, holdout: true }] }
    case 'exit':
      return { id, type }
  }
}

/** Replaces one node of the definition. */
function withNode(definition: JourneyDefinition, node: JourneyNode): JourneyDefinition {
  return { ...definition, nodes: definition.nodes.map((n) => (n.id === node.id ? node : n)) }
}

/**
 * The side panel for one step: its settings by type, where each path leads, adding a step after
 * it, and removing it (paths into it then go where it went).
 */
export function NodeEditor({ node, definition, onChange, readOnly }: { node: JourneyNode; definition: JourneyDefinition; onChange(next: JourneyDefinition, select?: string): void; readOnly: boolean }) {
  const { t } = useTranslation()
  const [addType, setAddType] = useState<(typeof NEW_TYPES)[number]>('send')
  const ids = definition.nodes.map((n) => n.id)
  const set = (patch: Record<string, unknown>) => onChange(withNode(definition, { ...node, ...patch } as JourneyNode))
  const message = (node.message ?? {}) as Record<string, string | undefined>
  const setMessage = (patch: Record<string, string>) => {
    const next: Record<string, string> = {}
    for (const [k, v] of Object.entries({ ...message, ...patch })) if (v !== undefined && v !== '') next[k] = v
    set({ message: next })
  }
  const target = (label: string, value: string | undefined, onPick: (id: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => onPick(e.target.value)}>
        {value === undefined && <option value="">—</option>}
        {ids.filter((id) => id !== node.id).map((id) => (
          <option key={id} value={id}>
            {id}
          </option>
        ))}
      </select>
    </label>
  )
  const addAfter = () => {
    const next = typeof node.next === 'string' ? node.next : (definition.nodes.find((n) => n.type === 'exit')?.id ?? node.id)
    const created = newNode(addType, definition, next)
    onChange({ ...withNode(definition, { ...node, next: created.id }), nodes: [...withNode(definition, { ...node, next: created.id }).nodes, created] }, created.id)
  }
  const remove = () => {
    const through = typeof node.next === 'string' ? node.next : null
    if (!through || definition.start === node.id) return
    const redirect = (id: string | undefined) => (id === node.id ? through : id)
    const nodes = definition.nodes
      .filter((n) => n.id !== node.id)
      .map((n) => ({ ...n, next: redirect(n.next), onEvent: redirect(n.onEvent), onTimeout: redirect(n.onTimeout), otherwise: redirect(n.otherwise), branches: n.branches?.map((b) => ({ ...b, next: redirect(b.next) })) }))
      .map((n) => Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined)) as JourneyNode)
    onChange({ ...definition, nodes }, through)
  }

  return (
    <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }} aria-label={t('journeys.editStep')}>
      <h3>
        {t(`journeys.types.${node.type}`)} · <code>{node.id}</code>
      </h3>
      {node.type === 'send' && (
        <>
          <div className="field-row">
            <label className="field">
              <span>{t('journeys.fields.channel')}</span>
              <select value={String(node.channel)} onChange={(e) => set({ channel: e.target.value })}>
                {JOURNEY_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`journeys.channels.${c}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('journeys.fields.category')}</span>
              <select value={String(node.category ?? 'marketing')} onChange={(e) => set({ category: e.target.value })}>
                <option value="marketing">{t('journeys.categories.marketing')}</option>
                <option value="transactional">{t('journeys.categories.transactional')}</option>
              </select>
            </label>
          </div>
          <label className="field">
            <span>{t('journeys.fields.templateId')}</span>
            <input value={message.templateId ?? ''} onChange={(e) => setMessage({ templateId: e.target.value })} />
          </label>
          {node.channel === 'email' && (
            <label className="field">
              <span>{t('journeys.fields.subject')}</span>
              <input value={message.subject ?? ''} onChange={(e) => setMessage({ subject: e.target.value })} />
            </label>
          )}
          <label className="field">
            <span>{t('journeys.fields.text')}</span>
            <textarea rows={3} value={message.text ?? ''} onChange={(e) => setMessage({ text: e.target.value })} placeholder="{{ traits.name }},…" />
          </label>
          {target(t('journeys.fields.next'), node.next, (id) => set({ next: id }))}
        </>
      )}
      {node.type === 'delay' && (
        <>
          <label className="field">
            <span>{t('journeys.fields.for')}</span>
            <input value={typeof node.for === 'string' ? node.for : ''} onChange={(e) => set({ for: e.target.value, until: undefined, untilDate: undefined })} placeholder="1d, 12h, 2w" />
          </label>
          {target(t('journeys.fields.next'), node.next, (id) => set({ next: id }))}
        </>
      )}
      {node.type === 'wait_for_event' && (
        <>
          <label className="field">
            <span>{t('journeys.fields.event')}</span>
            <input value={String(node.event ?? '')} onChange={(e) => set({ event: e.target.value })} />
          </label>
          <label className="field">
            <span>{t('journeys.fields.timeout')}</span>
            <input value={String(node.timeout ?? '')} onChange={(e) => set({ timeout: e.target.value })} placeholder="3d" />
          </label>
          {target(t('journeys.onEvent'), node.onEvent, (id) => set({ onEvent: id }))}
          {target(t('journeys.onTimeout'), node.onTimeout, (id) => set({ onTimeout: id }))}
        </>
      )}
      {(node.type === 'random_split' || node.type === 'condition') && (
        <>
          {(node.branches ?? []).map((branch, i) => (
            <div key={i} className="rule-group">
              <div className="field-row">
                <label className="field">
                  <span>{t('journeys.fields.branch')}</span>
                  <input value={branch.key} onChange={(e) => set({ branches: node.branches!.map((b, j) => (j === i ? { ...b, key: e.target.value } : b)) })} />
                </label>
                {node.type === 'random_split' && (
                  <label className="field">
                    <span>{t('journeys.fields.percent')}</span>
                    <input type="number" min={0} max={100} value={branch.percent ?? 0} onChange={(e) => set({ branches: node.branches!.map((b, j) => (j === i ? { ...b, percent: Number(e.target.value) } : b)) })} />
                  </label>
                )}
              </div>
              {node.type === 'random_split' && (
                <label className="muted">
                  <input type="checkbox" checked={branch.holdout === true} onChange={(e) => set({ branches: node.branches!.map((b, j) => (j === i ? { ...b, holdout: e.target.checked, ...(e.target.checked ? { next: undefined } : {}) } : b)) })} />{' '}
                  {t('journeys.fields.holdout')}
                </label>
              )}
              {node.type === 'condition' && (
                <label className="field">
                  <span>{t('journeys.fields.when')}</span>
                  <textarea rows={3} defaultValue={JSON.stringify(branch.when)} onBlur={(e) => {
                    try {
                      set({ branches: node.branches!.map((b, j) => (j === i ? { ...b, when: JSON.parse(e.target.value) } : b)) })
                    } catch {
                      e.target.setCustomValidity(t('journeys.invalidJson'))
                      e.target.reportValidity()
                    }
                  }} />
                </label>
              )}
              {!branch.holdout && target(t('journeys.fields.next'), branch.next, (id) => set({ branches: node.branches!.map((b, j) => (j === i ? { ...b, next: id } : b)) }))}
            </div>
          ))}
          {node.type === 'condition' && target(t('journeys.otherwise'), node.otherwise, (id) => set({ otherwise: id }))}
        </>
      )}
      {(node.type === 'update_trait' || node.type === 'webhook') && target(t('journeys.fields.next'), node.next, (id) => set({ next: id }))}
      {node.type === 'exit' && <p className="muted">{t('journeys.summary.exit')}</p>}
      {!readOnly && node.type !== 'exit' && typeof node.next === 'string' && (
        <div className="field-row">
          <label className="field">
            <span>{t('journeys.addAfter')}</span>
            <select value={addType} onChange={(e) => setAddType(e.target.value as (typeof NEW_TYPES)[number])}>
              {NEW_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`journeys.types.${type}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button secondary" style={{ marginBottom: 12 }} onClick={addAfter}>
            {t('journeys.add')}
          </button>
        </div>
      )}
      {!readOnly && typeof node.next === 'string' && definition.start !== node.id && (
        <button type="button" className="button secondary small" onClick={remove}>
          {t('journeys.removeStep')}
        </button>
      )}
    </fieldset>
  )
}
