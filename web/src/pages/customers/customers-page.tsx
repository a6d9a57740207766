import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '../../components/empty-state.tsx'
import { Link } from '../../components/link.tsx'
import { ListView } from '../../components/list-view.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { useFormat } from '../../format/use-format.ts'
import { navigate, setSearchParams, useLocation } from '../../router/router.ts'
import { traitText, type ProfileSummary } from './types.ts'

const IDENTIFIER_TYPES = ['phone', 'email', 'user_id', 'wechat_openid', 'wechat_unionid', 'anonymous_id', 'device_id'] as const

/** Find people by any identifier or trait; filter by identifier type or a trait value. */
export default function CustomersPage() {
  const { t } = useTranslation()
  const format = useFormat()
  const { search } = useLocation()
  const [identifierType, setIdentifierType] = useState(search.get('has') ?? '')
  const [trait, setTrait] = useState(search.get('trait') ?? '')
  const traitFilter = /^[^=]+=.+$/.test(trait.trim()) ? trait.trim() : undefined
  return (
    <>
      <PageHeader title={t('customers.title')} subtitle={t('customers.subtitle')} />
      <ListView<ProfileSummary>
        path="/profiles"
        query={{ identifierType: identifierType || undefined, trait: traitFilter }}
        searchLabel={t('customers.search')}
        initialSearch={search.get('q') ?? ''}
        onSearchChange={(q) => setSearchParams({ q })}
        filters={
          <>
            <select aria-label={t('customers.hasIdentifier')} value={identifierType} onChange={(e) => { setIdentifierType(e.target.value); setSearchParams({ has: e.target.value }) }}>
              <option value="">{t('customers.anyIdentifier')}</option>
              {IDENTIFIER_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t('customers.has', { type: t(`identifiers.${type}`) })}
                </option>
              ))}
            </select>
            <input aria-label={t('customers.traitFilter')} placeholder={t('customers.traitFilterPlaceholder')} value={trait} onChange={(e) => { setTrait(e.target.value); setSearchParams({ trait: e.target.value }) }} />
          </>
        }
        rowKey={(p) => p.id}
        onOpen={(p) => navigate(`/customers/${encodeURIComponent(p.id)}`)}
        columns={[
          { header: t('customers.name'), cell: (p) => <Link to={`/customers/${encodeURIComponent(p.id)}`}>{p.displayName}</Link> },
          {
            header: t('customers.identifiers'),
            cell: (p) => p.identities.slice(0, 3).map((i) => <span key={`${i.type}:${i.value}`} className="tag" title={t(`identifiers.${i.type}`, { defaultValue: i.type })}>{i.value}</span>),
          },
          { header: t('customers.city'), cell: (p) => traitText(p.traits.city ?? p.traits.$city), secondary: true },
          { header: t('customers.match'), cell: (p) => (p.match ? <span className="tag">{t(`customers.matchedBy.${p.match}`)}</span> : null), secondary: true },
          { header: t('customers.updated'), cell: (p) => <span title={format.dateTime(p.updatedAt)}>{format.relative(p.updatedAt)}</span> },
        ]}
        empty={
          <EmptyState title={t('customers.emptyTitle')} action={<Link to="/settings?tab=sources">{t('customers.emptyAction')}</Link>}>
            <p>{t('customers.emptyBody')}</p>
          </EmptyState>
        }
      />
    </>
  )
}
