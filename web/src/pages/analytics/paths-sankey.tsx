import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Chart } from '../../components/chart.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { useFormat } from '../../format/use-format.ts'

const MAX_STEPS = 5

/**
 * The customer journey across channels as a Sankey diagram: each column is a touch (1st, 2nd,
 * … up to five), each band the people who went from one channel to the next, ending in a
 * conversion. A channel can appear in several columns, so repeated touches never loop.
 */
export function PathsSankey({ paths, groupBy }: { paths: Array<{ path: string[]; conversions: number }>; groupBy: string }) {
  const { t } = useTranslation()
  const format = useFormat()
  const name = (label: string) => (groupBy === 'channel' ? channelLabel(t, label) : label)
  const option = useMemo(() => {
    const nodes = new Map<string, { name: string; depth: number }>()
    const links = new Map<string, { source: string; target: string; value: number }>()
    const done = t('analytics.converted')
    for (const { path, conversions } of paths) {
      if (conversions <= 0 || path.length === 0) continue
      const steps = path.length > MAX_STEPS ? [...path.slice(0, MAX_STEPS - 1), path[path.length - 1]!] : path
      const ids = steps.map((label, i) => {
        const id = `${i + 1}. ${name(label)}`
        nodes.set(id, { name: id, depth: i })
        return id
      })
      nodes.set(done, { name: done, depth: MAX_STEPS })
      ids.push(done)
      for (let i = 0; i < ids.length - 1; i++) {
        const key = `${ids[i]}→${ids[i + 1]}`
        const link = links.get(key) ?? { source: ids[i]!, target: ids[i + 1]!, value: 0 }
        link.value += conversions
        links.set(key, link)
      }
    }
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'sankey', data: [...nodes.values()], links: [...links.values()], emphasis: { focus: 'adjacency' }, nodeAlign: 'left', label: { fontSize: 11 }, lineStyle: { color: 'gradient', curveness: 0.5 } }],
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paths, groupBy, t])
  return (
    <section className="panel">
      <h2>{t('analytics.pathsTitle')}</h2>
      <p className="muted">{t('analytics.pathsHelp')}</p>
      <Chart option={option} height={440} label={t('analytics.pathsTitle')} />
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t('analytics.path')}</th>
              <th className="num">{t('analytics.conversions')}</th>
            </tr>
          </thead>
          <tbody>
            {paths.slice(0, 15).map((p, i) => (
              <tr key={i}>
                <td>{p.path.map(name).join(' → ')}</td>
                <td className="num">{format.number(p.conversions, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
