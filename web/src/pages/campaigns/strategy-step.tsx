import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Page } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { channelLabel } from '../../components/channel-icon.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { useFormat } from '../../format/use-format.ts'
import { toMajorText, toMinor } from './money-input.ts'
import { CHANNEL_ROLES, JOURNEY_STAGES, type BudgetForecast, type Campaign, type ChannelMixEntry } from './types.ts'

/**
 * Stage 2 — strategy: the message house the campaign speaks from, the channel mix with each
 * channel's role at each journey stage, and the budget table (lines that must add up to the
 * total), with the server's revenue forecast for the split.
 */
export function StrategyStep({ campaign, editable, onSaved }: { campaign: Campaign; editable: boolean; onSaved(): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const strategy = campaign.plan.strategy
  const [houseId, setHouseId] = useState(strategy.houseId ?? '')
  const [mix, setMix] = useState<ChannelMixEntry[]>(strategy.channelMix)
  const [total, setTotal] = useState(toMajorText(strategy.budget?.totalMinor, campaign.currency))
  const [lines, setLines] = useState(strategy.budget?.lines ?? [])
  const [newChannel, setNewChannel] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const houses = useApi<Page<{ id: string; name: string }>>('/content/houses', { limit: 200 })
  const forecast = useApi<{ forecast: BudgetForecast }>(`/campaigns/${campaign.id}/forecast`, undefined, campaign.planVersion)
  const totalMinor = toMinor(total, campaign.currency) ?? 0
  const allocated = lines.reduce((sum, l) => sum + l.amountMinor, 0)
  const setEntry = (i: number, patch: Partial<ChannelMixEntry>) => setMix(mix.map((m, j) => (j === i ? { ...m, ...patch } : m)))
  const addChannel = () => {
    const channel = newChannel.trim()
    if (!channel || mix.some((m) => m.channel === channel)) return
    setMix([...mix, { channel, roles: { awareness: 'reach' } }])
    setLines([...lines, { channel, amountMinor: 0 }])
    setNewChannel('')
  }
  const save = async () => {
    setError(null)
    try {
      await api(`/campaigns/${campaign.id}/strategy`, { method: 'PUT', body: { ...strategy, houseId: houseId || null, channelMix: mix, budget: { ...strategy.budget, totalMinor, lines } } })
      onSaved()
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const f = forecast.data?.forecast
  return (
    <fieldset className="panel" disabled={!editable} style={{ border: 0 }}>
      {error && <ErrorMessage error={error} />}
      <label className="field" style={{ maxWidth: 420 }}>
        <span>{t('campaigns.strategy.house')}</span>
        <select value={houseId} onChange={(e) => setHouseId(e.target.value)}>
          <option value="">—</option>
          {houses.data?.items.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <h2>{t('campaigns.strategy.mix')}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t('campaigns.strategy.channel')}</th>
              {JOURNEY_STAGES.map((s) => (
                <th key={s}>{t(`content.stages.${s}`)}</th>
              ))}
              <th>{t('campaigns.strategy.assumedRoas')}</th>
              <th>{t('campaigns.strategy.paused')}</th>
            </tr>
          </thead>
          <tbody>
            {mix.map((entry, i) => (
              <tr key={entry.channel}>
                <td>{channelLabel(t, entry.channel)}</td>
                {JOURNEY_STAGES.map((stage) => (
                  <td key={stage}>
                    <select aria-label={t('campaigns.strategy.roleAt', { channel: entry.channel, stage })} value={entry.roles[stage] ?? ''} onChange={(e) => setEntry(i, { roles: { ...entry.roles, [stage]: e.target.value || undefined } })}>
                      <option value="">—</option>
                      {CHANNEL_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`campaigns.roles.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                ))}
                <td>
                  <input className="narrow" style={{ width: 70 }} inputMode="decimal" value={entry.assumedRoas ?? ''} onChange={(e) => setEntry(i, { assumedRoas: e.target.value === '' ? undefined : Number(e.target.value) })} />
                </td>
                <td>
                  <input type="checkbox" checked={entry.paused === true} onChange={(e) => setEntry(i, { paused: e.target.checked })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editable && (
        <div className="toolbar" style={{ marginTop: 8 }}>
          <input aria-label={t('campaigns.strategy.addChannel')} placeholder="douyin, xiaohongshu, baidu_search…" value={newChannel} onChange={(e) => setNewChannel(e.target.value)} />
          <button type="button" className="button secondary" onClick={addChannel}>
            + {t('campaigns.strategy.addChannel')}
          </button>
        </div>
      )}
      <h2 style={{ marginTop: 16 }}>{t('campaigns.strategy.budget')}</h2>
      <label className="field" style={{ maxWidth: 300 }}>
        <span>{t('campaigns.strategy.total', { currency: campaign.currency })}</span>
        <input inputMode="decimal" value={total} onChange={(e) => setTotal(e.target.value)} />
      </label>
      <div className="table-wrap">
        <table className="table" data-testid="budget-table">
          <thead>
            <tr>
              <th>{t('campaigns.strategy.channel')}</th>
              <th className="num">{t('campaigns.strategy.amount')}</th>
              <th className="num">{t('campaigns.strategy.share')}</th>
              <th className="num">{t('campaigns.strategy.forecastRevenue')}</th>
              <th className="num">ROAS</th>
              <th className="num">{t('campaigns.strategy.recommended')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => {
              const fc = f?.channels.find((c) => c.channel === line.channel)
              return (
                <tr key={line.channel}>
                  <td>{channelLabel(t, line.channel)}</td>
                  <td className="num">
                    <input
                      aria-label={t('campaigns.strategy.amountOf', { channel: line.channel })}
                      style={{ width: 110, textAlign: 'right' }}
                      inputMode="decimal"
                      value={toMajorText(line.amountMinor, campaign.currency)}
                      onChange={(e) => setLines(lines.map((l, j) => (j === i ? { ...l, amountMinor: toMinor(e.target.value, campaign.currency) ?? 0 } : l)))}
                    />
                  </td>
                  <td className="num">{totalMinor > 0 ? format.percent(line.amountMinor / totalMinor) : '—'}</td>
                  <td className="num">{fc?.forecastRevenueMinor == null ? '—' : format.money(fc.forecastRevenueMinor, campaign.currency)}</td>
                  <td className="num">{fc?.forecastRoas == null ? '—' : format.number(fc.forecastRoas, 2)}</td>
                  <td className="num">{fc?.recommendedMinor == null ? '—' : format.money(fc.recommendedMinor, campaign.currency)}</td>
                </tr>
              )
            })}
            <tr>
              <th>{t('common.total')}</th>
              <th className="num">{format.money(allocated, campaign.currency)}</th>
              <th className="num">{totalMinor > 0 ? format.percent(allocated / totalMinor) : '—'}</th>
              <th className="num">{f ? format.money(f.forecastRevenueMinor, campaign.currency) : '—'}</th>
              <th className="num">{f?.forecastRoas == null ? '—' : format.number(f.forecastRoas, 2)}</th>
              <th />
            </tr>
          </tbody>
        </table>
      </div>
      {allocated !== totalMinor && <p className="notice">{t('campaigns.strategy.doesNotAddUp', { allocated: format.money(allocated, campaign.currency), total: format.money(totalMinor, campaign.currency) })}</p>}
      {f?.recommendationNote && <p className="muted">{f.recommendationNote}</p>}
      {f && f.assumptions.length > 0 && (
        <ul className="findings">
          {f.assumptions.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      )}
      {editable && (
        <button type="button" className="button" onClick={() => void save()}>
          {t('campaigns.saveStage')}
        </button>
      )}
    </fieldset>
  )
}
