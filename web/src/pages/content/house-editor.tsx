import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { useFormat } from '../../format/use-format.ts'
import { navigate } from '../../router/router.ts'
import type { HouseView, MessageHouse } from './types.ts'

type Pillar = MessageHouse['pillars'][number]
type Mandatory = NonNullable<MessageHouse['mandatoryElements']>[number]

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean)
const list = (text: string) => text.split(/[,，、\n]/).map((l) => l.trim()).filter(Boolean)
const entryText = (e: { text: string; reason?: string } | string) => (typeof e === 'string' ? e : e.reason ? `${e.text} | ${e.reason}` : e.text)
const entry = (line: string) => {
  const [text = '', reason] = line.split('|').map((p) => p.trim())
  return reason ? { text, reason } : { text }
}

/**
 * The message house (信息屋) editor: the core message, its pillars with key phrases and proof,
 * the tone, what every piece must carry and what none may say. Every save is a new version and
 * rechecks every variant.
 */
export function HouseEditor({ house, onSaved }: { house: HouseView | null; onSaved(next: HouseView): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const editable = session.can('write')
  const [name, setName] = useState(house?.name ?? '')
  const [brand, setBrand] = useState(house?.house.brand ?? '')
  const [core, setCore] = useState(house?.house.coreMessage ?? '')
  const [pillars, setPillars] = useState<Pillar[]>(house?.house.pillars ?? [{ name: '', keyPhrases: [], proofPoints: [] }])
  const [tone, setTone] = useState((house?.house.toneWords ?? []).join(', '))
  const [mandatory, setMandatory] = useState<Mandatory[]>(house?.house.mandatoryElements ?? [])
  const [forbiddenWords, setForbiddenWords] = useState((house?.house.forbiddenWords ?? []).map(entryText).join('\n'))
  const [forbiddenClaims, setForbiddenClaims] = useState((house?.house.forbiddenClaims ?? []).map(entryText).join('\n'))
  const [note, setNote] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const versions = useApi<{ items: Array<{ version: number; note: string | null; createdBy: string; createdAt: string; coreMessage: string }> }>(house ? `/content/houses/${house.id}/versions` : null, undefined, house?.currentVersion ?? 0)

  useEffect(() => {
    if (!house) return
    setName(house.name)
    setBrand(house.house.brand)
    setCore(house.house.coreMessage)
    setPillars(house.house.pillars)
    setTone((house.house.toneWords ?? []).join(', '))
    setMandatory(house.house.mandatoryElements ?? [])
    setForbiddenWords((house.house.forbiddenWords ?? []).map(entryText).join('\n'))
    setForbiddenClaims((house.house.forbiddenClaims ?? []).map(entryText).join('\n'))
  }, [house])

  const save = async () => {
    setSaving(true)
    setError(null)
    const body: MessageHouse = {
      ...(house?.house ?? {}),
      brand: brand.trim(),
      coreMessage: core.trim(),
      pillars: pillars.map((p) => ({ ...p, name: p.name.trim() })),
      toneWords: list(tone),
      mandatoryElements: mandatory,
      forbiddenWords: lines(forbiddenWords).map(entry),
      forbiddenClaims: lines(forbiddenClaims).map(entry),
    }
    try {
      const saved = house
        ? await api<HouseView>(`/content/houses/${house.id}`, { method: 'PUT', body: { name: name.trim(), house: body, note: note.trim() || undefined } })
        : await api<HouseView>('/content/houses', { method: 'POST', body: { name: name.trim(), house: body, note: note.trim() || undefined } })
      setNote('')
      if (!house) navigate(`/content/${saved.id}`, { replace: true })
      onSaved(saved)
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setSaving(false)
    }
  }
  const setPillar = (i: number, patch: Partial<Pillar>) => setPillars(pillars.map((p, j) => (j === i ? { ...p, ...patch } : p)))
  const setElement = (i: number, patch: Partial<Mandatory>) => setMandatory(mandatory.map((m, j) => (j === i ? { ...m, ...patch } : m)))

  return (
    <div className="split">
      <fieldset className="panel" disabled={!editable} style={{ border: 0 }}>
        {error && <ErrorMessage error={error} />}
        <div className="field-row">
          <label className="field">
            <span>{t('content.house.name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('content.house.namePlaceholder')} />
          </label>
          <label className="field">
            <span>{t('content.brand')}</span>
            <input value={brand} onChange={(e) => setBrand(e.target.value)} />
          </label>
        </div>
        <label className="field">
          <span>{t('content.house.core')}</span>
          <input value={core} onChange={(e) => setCore(e.target.value)} placeholder={t('content.house.corePlaceholder')} />
        </label>
        <h3>{t('content.house.pillars')}</h3>
        {pillars.map((pillar, i) => (
          <div key={i} className="rule-group">
            <div className="field-row">
              <label className="field">
                <span>{t('content.house.pillarName')}</span>
                <input value={pillar.name} onChange={(e) => setPillar(i, { name: e.target.value })} />
              </label>
              <label className="field">
                <span>{t('content.house.keyPhrases')}</span>
                <input value={pillar.keyPhrases.join(', ')} onChange={(e) => setPillar(i, { keyPhrases: list(e.target.value) })} />
              </label>
            </div>
            <label className="field">
              <span>{t('content.house.proofPoints')}</span>
              <textarea rows={2} value={(pillar.proofPoints ?? []).join('\n')} onChange={(e) => setPillar(i, { proofPoints: lines(e.target.value) })} />
            </label>
            {pillars.length > 1 && (
              <button type="button" className="button secondary small" onClick={() => setPillars(pillars.filter((_, j) => j !== i))}>
                {t('content.house.removePillar')}
              </button>
            )}
          </div>
        ))}
        {pillars.length < 7 && (
          <button type="button" className="link-button" onClick={() => setPillars([...pillars, { name: '', keyPhrases: [], proofPoints: [] }])}>
            + {t('content.house.addPillar')}
          </button>
        )}
        <label className="field">
          <span>{t('content.house.tone')}</span>
          <input value={tone} onChange={(e) => setTone(e.target.value)} />
        </label>
        <h3>{t('content.house.mandatory')}</h3>
        {mandatory.map((m, i) => (
          <div key={i} className="field-row">
            <label className="field">
              <span>{t('content.house.elementName')}</span>
              <input value={m.name} onChange={(e) => setElement(i, { name: e.target.value })} />
            </label>
            <label className="field">
              <span>{t('content.house.anyOf')}</span>
              <input value={m.anyOf.join(', ')} onChange={(e) => setElement(i, { anyOf: list(e.target.value) })} />
            </label>
            <label className="field">
              <span>{t('content.house.kind')}</span>
              <select value={m.kind} onChange={(e) => setElement(i, { kind: e.target.value as Mandatory['kind'] })}>
                {(['brand', 'cta', 'legal', 'other'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`content.house.kinds.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button secondary small" style={{ marginBottom: 12 }} onClick={() => setMandatory(mandatory.filter((_, j) => j !== i))}>
              ✕
            </button>
          </div>
        ))}
        <button type="button" className="link-button" onClick={() => setMandatory([...mandatory, { name: '', kind: 'brand', anyOf: [], severity: 'warn' }])}>
          + {t('content.house.addElement')}
        </button>
        <div className="grid two">
          <label className="field">
            <span>{t('content.house.forbiddenWords')}</span>
            <textarea rows={5} value={forbiddenWords} onChange={(e) => setForbiddenWords(e.target.value)} placeholder="最 | 广告法禁止绝对化用语" />
          </label>
          <label className="field">
            <span>{t('content.house.forbiddenClaims')}</span>
            <textarea rows={5} value={forbiddenClaims} onChange={(e) => setForbiddenClaims(e.target.value)} placeholder="治愈 感冒 | 普通食品不得宣称疗效" />
          </label>
        </div>
        {editable && (
          <div className="field-row">
            <label className="field">
              <span>{t('content.house.note')}</span>
              <input value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
            <button type="button" className="button" style={{ marginBottom: 12 }} disabled={saving || !name.trim() || !brand.trim() || !core.trim()} onClick={() => void save()}>
              {saving ? t('common.saving') : house ? t('content.house.saveVersion') : t('content.house.create')}
            </button>
          </div>
        )}
      </fieldset>
      <aside className="side-panel">
        <h3>{t('content.house.versions')}</h3>
        {!house && <p className="muted">{t('content.house.firstVersion')}</p>}
        <ol className="findings">
          {versions.data?.items.map((v) => (
            <li key={v.version}>
              <strong>v{v.version}</strong> · {format.dateTime(v.createdAt)}
              {v.note && <div>{v.note}</div>}
              <div className="muted">{v.coreMessage}</div>
            </li>
          ))}
        </ol>
      </aside>
    </div>
  )
}
