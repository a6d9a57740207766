import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import {
  COMPUTED,
  COUNT_OPS,
  TRAIT_OPS,
  WINDOW_UNITS,
  newRule,
  opTakesValue,
  updateNode,
  type PropertyRule,
  type RuleKind,
  type RuleNode,
  type TraitOp,
  type ValueType,
  type Window,
} from './rule-model.ts'

/** Event names most brands send (Segment e-commerce spec, Sensors defaults); any name can be typed. */
const EVENT_SUGGESTIONS = ['Order Completed', 'Product Viewed', 'Product Added', 'Checkout Started', 'Email Opened', 'Email Link Clicked', 'Coupon Applied', '$pageview', '$MPViewScreen', 'PayOrder']
const TRAIT_SUGGESTIONS = ['city', 'gender', 'age', 'member_level', 'persona', 'plan', 'email', 'phone', 'sms_opt_in', 'email_opt_in', 'created_at', 'birthday']

interface BuilderProps {
  value: RuleNode
  onChange(next: RuleNode): void
  readOnly?: boolean
}

/**
 * The visual audience rule builder: groups matching all or any of their rules, nested to any
 * depth; rules on profile traits, on events (how many times, in which window, with which
 * properties), on purchases and revenue, and on channels; any rule or group can be negated.
 */
export function RuleBuilder({ value, onChange, readOnly = false }: BuilderProps) {
  const change = (id: string, fn: (node: RuleNode) => RuleNode | null) => onChange(updateNode(value, id, fn))
  return (
    <div className="rule-builder">
      <datalist id="event-suggestions">
        {EVENT_SUGGESTIONS.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <datalist id="trait-suggestions">
        {TRAIT_SUGGESTIONS.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <GroupView node={value as Extract<RuleNode, { kind: 'group' }>} root change={change} readOnly={readOnly} />
    </div>
  )
}

type Change = (id: string, fn: (node: RuleNode) => RuleNode | null) => void

function GroupView({ node, root = false, change, readOnly }: { node: Extract<RuleNode, { kind: 'group' }>; root?: boolean; change: Change; readOnly: boolean }) {
  const { t } = useTranslation()
  const add = (kind: RuleKind) => change(node.id, (n) => (n.kind === 'group' ? { ...n, children: [...n.children, newRule(kind)] } : n))
  return (
    <fieldset className="rule-group" disabled={readOnly} aria-label={root ? t('audiences.builder.rootGroup') : t('audiences.builder.group')}>
      <div className="rule-group-head">
        {node.negate && <strong>{t('audiences.builder.excludePrefix')}</strong>}
        <span>{t('audiences.builder.peopleMatching')}</span>
        <select aria-label={t('audiences.builder.matchMode')} value={node.op} onChange={(e) => change(node.id, (n) => ({ ...n, op: e.target.value as 'all' | 'any' }) as RuleNode)}>
          <option value="all">{t('audiences.builder.all')}</option>
          <option value="any">{t('audiences.builder.any')}</option>
        </select>
        <span>{t('audiences.builder.ofTheseRules')}</span>
        {!root && <NegateToggle node={node} change={change} />}
        {!root && <RemoveButton id={node.id} change={change} />}
      </div>
      {node.children.length === 0 && <p className="muted">{root ? t('audiences.builder.emptyRoot') : t('audiences.builder.emptyGroup')}</p>}
      {node.children.map((child) => (child.kind === 'group' ? <GroupView key={child.id} node={child} change={change} readOnly={readOnly} /> : <RuleView key={child.id} node={child} change={change} />))}
      {!readOnly && (
        <div className="rule-actions">
          {(['trait', 'performed', 'notPerformed', 'computed', 'channel', 'group'] as const).map((kind) => (
            <button key={kind} type="button" className="button secondary small" onClick={() => add(kind)}>
              + {t(`audiences.builder.add.${kind}`)}
            </button>
          ))}
        </div>
      )}
    </fieldset>
  )
}

function NegateToggle({ node, change }: { node: RuleNode; change: Change }) {
  const { t } = useTranslation()
  return (
    <label className="muted">
      <input type="checkbox" checked={node.negate} onChange={(e) => change(node.id, (n) => ({ ...n, negate: e.target.checked }))} /> {t('audiences.builder.exclude')}
    </label>
  )
}

function RemoveButton({ id, change }: { id: string; change: Change }) {
  const { t } = useTranslation()
  return (
    <button type="button" className="button secondary small" aria-label={t('audiences.builder.remove')} onClick={() => change(id, () => null)}>
      ✕
    </button>
  )
}

function WindowInput({ window, onChange, label }: { window: Window; onChange(next: Window): void; label: string }) {
  const { t } = useTranslation()
  return (
    <>
      <span>{label}</span>
      <input className="narrow" inputMode="numeric" aria-label={t('audiences.builder.windowAmount')} placeholder={t('audiences.builder.ever')} value={window.amount} onChange={(e) => onChange({ ...window, amount: e.target.value.replace(/\D/g, '') })} />
      <select aria-label={t('audiences.builder.windowUnit')} value={window.unit} onChange={(e) => onChange({ ...window, unit: e.target.value as Window['unit'] })}>
        {WINDOW_UNITS.map((u) => (
          <option key={u} value={u}>
            {t(`audiences.builder.units.${u}`)}
          </option>
        ))}
      </select>
    </>
  )
}

function ComparisonInputs(props: { op: TraitOp; value: string; valueType: ValueType; onChange(next: { op?: TraitOp; value?: string; valueType?: ValueType }): void }) {
  const { t } = useTranslation()
  const { op } = props
  const typeMatters = op === 'equals' || op === 'not_equals' || op === 'in' || op === 'not_in'
  return (
    <>
      <select aria-label={t('audiences.builder.operator')} value={op} onChange={(e) => props.onChange({ op: e.target.value as TraitOp })}>
        {TRAIT_OPS.map((o) => (
          <option key={o} value={o}>
            {t(`audiences.builder.ops.${o}`)}
          </option>
        ))}
      </select>
      {opTakesValue(op) &&
        (props.valueType === 'boolean' && typeMatters ? (
          <select aria-label={t('audiences.builder.value')} value={props.value === 'true' ? 'true' : 'false'} onChange={(e) => props.onChange({ value: e.target.value })}>
            <option value="true">{t('common.yes')}</option>
            <option value="false">{t('common.no')}</option>
          </select>
        ) : (
          <input aria-label={t('audiences.builder.value')} placeholder={t(`audiences.builder.placeholders.${op}`)} value={props.value} onChange={(e) => props.onChange({ value: e.target.value })} />
        ))}
      {typeMatters && (
        <select aria-label={t('audiences.builder.valueType')} value={props.valueType} onChange={(e) => props.onChange({ valueType: e.target.value as ValueType })}>
          <option value="text">{t('audiences.builder.types.text')}</option>
          <option value="number">{t('audiences.builder.types.number')}</option>
          {(op === 'equals' || op === 'not_equals') && <option value="boolean">{t('audiences.builder.types.boolean')}</option>}
        </select>
      )}
    </>
  )
}

function RuleView({ node, change }: { node: Exclude<RuleNode, { kind: 'group' }>; change: Change }) {
  const { t } = useTranslation()
  const set = (patch: Partial<RuleNode>) => change(node.id, (n) => ({ ...n, ...patch }) as RuleNode)
  let body: ReactNode
  switch (node.kind) {
    case 'trait':
      body = (
        <>
          <span>{t('audiences.builder.trait')}</span>
          <input list="trait-suggestions" aria-label={t('audiences.builder.traitName')} placeholder="city" value={node.trait} onChange={(e) => set({ trait: e.target.value })} />
          <ComparisonInputs op={node.op} value={node.value} valueType={node.valueType} onChange={(c) => set(c)} />
        </>
      )
      break
    case 'performed':
      body = (
        <>
          <span>{t('audiences.builder.did')}</span>
          <input list="event-suggestions" aria-label={t('audiences.builder.eventName')} placeholder="Order Completed" value={node.event} onChange={(e) => set({ event: e.target.value })} />
          <select aria-label={t('audiences.builder.countOperator')} value={node.countOp} onChange={(e) => set({ countOp: e.target.value as typeof node.countOp })}>
            {COUNT_OPS.map((o) => (
              <option key={o} value={o}>
                {t(`audiences.builder.countOps.${o}`)}
              </option>
            ))}
          </select>
          <input className="narrow" inputMode="numeric" aria-label={t('audiences.builder.times')} value={node.count} onChange={(e) => set({ count: e.target.value.replace(/\D/g, '') })} />
          <span>{t('audiences.builder.timesLabel')}</span>
          <WindowInput label={t('audiences.builder.inLast')} window={node.window} onChange={(window) => set({ window })} />
          <PropertyRules rules={node.where} onChange={(where) => set({ where })} />
        </>
      )
      break
    case 'notPerformed':
      body = (
        <>
          <span>{t('audiences.builder.didNot')}</span>
          <input list="event-suggestions" aria-label={t('audiences.builder.eventName')} placeholder="Order Completed" value={node.event} onChange={(e) => set({ event: e.target.value })} />
          <WindowInput label={t('audiences.builder.inLast')} window={node.window} onChange={(window) => set({ window })} />
        </>
      )
      break
    case 'computed':
      body = (
        <>
          <select aria-label={t('audiences.builder.measure')} value={node.computed} onChange={(e) => set({ computed: e.target.value as typeof node.computed })}>
            {COMPUTED.map((c) => (
              <option key={c} value={c}>
                {t(`audiences.builder.computed.${c}`)}
              </option>
            ))}
          </select>
          <select aria-label={t('audiences.builder.countOperator')} value={node.op} onChange={(e) => set({ op: e.target.value as typeof node.op })}>
            {COUNT_OPS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          <input className="narrow" inputMode="decimal" aria-label={t('audiences.builder.value')} value={node.value} onChange={(e) => set({ value: e.target.value })} />
          {node.computed !== 'days_since_last_order' && <WindowInput label={t('audiences.builder.inLast')} window={node.window} onChange={(window) => set({ window })} />}
        </>
      )
      break
    case 'channel':
      body = (
        <>
          <span>{t('audiences.builder.cameThrough')}</span>
          <input aria-label={t('audiences.builder.channels')} placeholder="wechat, douyin" value={node.channels} onChange={(e) => set({ channels: e.target.value })} />
          <WindowInput label={t('audiences.builder.inLast')} window={node.window} onChange={(window) => set({ window })} />
        </>
      )
      break
    case 'raw':
      body = (
        <>
          <span>{t('audiences.builder.advanced')}</span>
          <code>{JSON.stringify(node.condition)}</code>
        </>
      )
      break
  }
  return (
    <div className="rule" data-kind={node.kind}>
      {node.negate && <strong>{t('audiences.builder.notPrefix')}</strong>}
      {body}
      <NegateToggle node={node} change={change} />
      <RemoveButton id={node.id} change={change} />
    </div>
  )
}

function PropertyRules({ rules, onChange }: { rules: PropertyRule[]; onChange(next: PropertyRule[]): void }) {
  const { t } = useTranslation()
  const set = (i: number, patch: Partial<PropertyRule>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  return (
    <div style={{ flexBasis: '100%', paddingLeft: 24 }}>
      {rules.map((rule, i) => (
        <div key={i} className="rule">
          <span>{t('audiences.builder.where')}</span>
          <input aria-label={t('audiences.builder.propertyName')} placeholder="total" value={rule.property} onChange={(e) => set(i, { property: e.target.value })} />
          <ComparisonInputs op={rule.op} value={rule.value} valueType={rule.valueType} onChange={(c) => set(i, c)} />
          <button type="button" className="button secondary small" aria-label={t('audiences.builder.removeProperty')} onClick={() => onChange(rules.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => onChange([...rules, { property: '', op: 'equals', value: '', valueType: 'text' }])}>
        + {t('audiences.builder.addProperty')}
      </button>
    </div>
  )
}
