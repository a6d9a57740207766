import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { scoreClass } from './score.ts'
import type { ChannelProfileView, ContentMatrix, Stage } from './types.ts'
import { VariantPanel } from './variant-panel.tsx'

/** The content matrix: channels down, journey stages across; each cell's copy, state and score. */
export function Matrix({ houseId }: { houseId: string }) {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const matrix = useApi<ContentMatrix>(`/content/houses/${houseId}/matrix`, undefined, version)
  const profiles = useApi<{ items: ChannelProfileView[] }>('/content/channels')
  const [open, setOpen] = useState<{ channel: string; stage: Stage; variantId: string | null } | null>(null)
  const [channelFilter, setChannelFilter] = useState('')
  if (matrix.error) return <ErrorMessage error={matrix.error} onRetry={matrix.reload} />
  if (!matrix.data) return <Spinner label={t('common.loading')} />
  const m = matrix.data
  const profileOf = (id: string) => profiles.data?.items.find((p) => p.profile.id === id)
  const used = new Set(m.cells.map((c) => c.channel))
  const channels = m.channels.filter((c) => (channelFilter === 'used' ? used.has(c) : true))
  return (
    <div className={open ? 'split' : undefined}>
      <div className="panel" style={{ overflowX: 'auto' }}>
        <div className="toolbar">
          <select aria-label={t('content.matrixFilter')} value={channelFilter} onChange={(e) => setChannelFilter(e.target.value)}>
            <option value="">{t('content.allChannels')}</option>
            <option value="used">{t('content.usedChannels')}</option>
          </select>
          {m.consistency?.score !== null && m.consistency && (
            <span>
              {t('content.campaignScore')} <span className={`score ${scoreClass(m.consistency.score)}`}>{m.consistency.score}</span>
            </span>
          )}
        </div>
        <table className="matrix" data-testid="content-matrix">
          <thead>
            <tr>
              <th>{t('content.channel')}</th>
              {m.stages.map((s) => (
                <th key={s}>{t(`content.stages.${s}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {channels.map((channel) => (
              <tr key={channel}>
                <th scope="row">{profileOf(channel)?.profile.name ?? channel}</th>
                {m.stages.map((stage) => {
                  const cell = m.cells.find((c) => c.channel === channel && c.stage === stage)
                  const active = open?.channel === channel && open.stage === stage
                  if (!cell) {
                    return (
                      <td key={stage} style={active ? { outline: '2px solid var(--accent)' } : undefined}>
                        {session.can('write') ? (
                          <button type="button" className="link-button" onClick={() => setOpen({ channel, stage, variantId: null })}>
                            + {t('content.write')}
                          </button>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    )
                  }
                  return (
                    <td key={stage} style={active ? { outline: '2px solid var(--accent)' } : undefined}>
                      <button type="button" className="link-button" style={{ textAlign: 'left' }} onClick={() => setOpen({ channel, stage, variantId: cell.variantId })}>
                        <span className={`score ${scoreClass(cell.score)}`}>{cell.score ?? '—'}</span> <span className="tag">{t(`content.states.${cell.state}`)}</span>
                        <div>{cell.preview}</div>
                        {(cell.blocks > 0 || cell.warnings > 0) && (
                          <div className="muted">
                            {cell.blocks > 0 && <span className="tag bad">{t('content.blocks', { count: cell.blocks })}</span>}
                            {cell.warnings > 0 && <span className="tag warn">{t('content.warnings', { count: cell.warnings })}</span>}
                          </div>
                        )}
                      </button>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && (
        <VariantPanel
          key={`${open.channel}/${open.stage}`}
          houseId={houseId}
          channel={open.channel}
          stage={open.stage}
          variantId={open.variantId ?? m.cells.find((c) => c.channel === open.channel && c.stage === open.stage)?.variantId ?? null}
          profile={profileOf(open.channel)}
          onSaved={() => {
            setVersion((v) => v + 1)
          }}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  )
}
