import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi, useDebounced } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { ListView } from '../../components/list-view.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { Tabs } from '../../components/tabs.tsx'
import { useFormat } from '../../format/use-format.ts'
import { navigate, setSearchParams, useLocation } from '../../router/router.ts'
import { scoreClass } from './score.ts'
import type { HouseListItem } from './types.ts'

/** Message houses with their consistency scores, and search over all content. */
export default function ContentPage() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const { search } = useLocation()
  const tab = search.get('tab') === 'search' ? 'search' : 'houses'
  return (
    <>
      <PageHeader
        title={t('content.title')}
        subtitle={t('content.subtitle')}
        actions={
          session.can('write') && (
            <Link className="button" to="/content/new">
              {t('content.newHouse')}
            </Link>
          )
        }
      />
      <RequireCapability path="/content/houses" capability={t('capabilities.content')}>
        <Tabs label={t('content.title')} tabs={[{ id: 'houses', label: t('content.houses') }, { id: 'search', label: t('content.searchTab') }]} active={tab} onChange={(id) => setSearchParams({ tab: id === 'houses' ? null : id })} />
        {tab === 'houses' ? <HouseList /> : <ContentSearch />}
      </RequireCapability>
    </>
  )
}

function HouseList() {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [brand, setBrand] = useState('')
  const settledBrand = useDebounced(brand.trim(), 300)
  return (
    <ListView<HouseListItem>
      path="/content/houses"
      query={{ brand: settledBrand || undefined }}
      limit={50}
      searchLabel={t('content.searchHouses')}
      localFilter={{ active: settledBrand !== '', match: (h, q) => !q || `${h.name} ${h.brand}`.toLowerCase().includes(q) }}
      filters={<input aria-label={t('content.brand')} placeholder={t('content.brandFilter')} value={brand} onChange={(e) => setBrand(e.target.value)} />}
      rowKey={(h) => h.id}
      onOpen={(h) => navigate(`/content/${h.id}`)}
      columns={[
        { header: t('content.houseName'), cell: (h) => <Link to={`/content/${h.id}`}>{h.name}</Link> },
        { header: t('content.brand'), cell: (h) => h.brand },
        { header: t('content.score'), cell: (h) => (h.score === null ? '—' : <span className={`score ${scoreClass(h.score)}`}>{h.score}</span>) },
        { header: t('content.version'), cell: (h) => `v${h.currentVersion}`, secondary: true },
        { header: t('content.updated'), cell: (h) => format.relative(h.updatedAt), secondary: true },
      ]}
      empty={
        <EmptyState title={t('content.emptyTitle')} action={session.can('write') && <Link className="button" to="/content/new">{t('content.newHouse')}</Link>}>
          <p>{t('content.emptyBody')}</p>
        </EmptyState>
      }
    />
  )
}

interface SearchHit {
  kind: string
  refId: string
  title: string
  snippet: string
  /** UTF-16 ranges of the query's words inside the snippet. */
  highlights: Array<{ start: number; end: number }>
}

/** The snippet with the matched words marked. */
function Snippet({ hit }: { hit: SearchHit }) {
  const parts: Array<{ text: string; marked: boolean }> = []
  let at = 0
  for (const h of [...hit.highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue
    parts.push({ text: hit.snippet.slice(at, h.start), marked: false }, { text: hit.snippet.slice(h.start, h.end), marked: true })
    at = h.end
  }
  parts.push({ text: hit.snippet.slice(at), marked: false })
  return <div className="muted">{parts.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</div>
}

function ContentSearch() {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const [kind, setKind] = useState('')
  const settled = useDebounced(q.trim(), 300)
  const results = useApi<{ items: SearchHit[]; nextCursor: string | null }>(settled ? '/content/search' : null, { q: settled, kind: kind || undefined, limit: 30 })
  return (
    <section className="panel">
      <div className="toolbar">
        <input type="search" className="search" aria-label={t('content.searchAll')} placeholder={t('content.searchAll')} value={q} onChange={(e) => setQ(e.target.value)} />
        <select aria-label={t('content.kindFilter')} value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">{t('content.anyKind')}</option>
          {(['variant', 'house', 'asset', 'lesson'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`content.kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {!settled && <p className="muted">{t('content.searchHint')}</p>}
      {results.error && <ErrorMessage error={results.error} />}
      {settled && results.data && results.data.items.length === 0 && <div className="empty-inline">{t('content.noResults')}</div>}
      <ul className="findings">
        {results.data?.items.map((hit) => (
          <li key={`${hit.kind}:${hit.refId}`}>
            <span className="tag">{t(`content.kinds.${hit.kind as 'variant'}`, { defaultValue: hit.kind })}</span> {hit.kind === 'house' ? <Link to={`/content/${hit.refId}`}>{hit.title}</Link> : hit.title}
            {hit.snippet && <Snippet hit={hit} />}
          </li>
        ))}
      </ul>
    </section>
  )
}
