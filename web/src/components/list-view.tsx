import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Query } from '../api/client.ts'
import { useDebounced, usePagedList } from '../api/hooks.ts'
import { ErrorMessage } from './error-message.tsx'
import { Spinner } from './progress.tsx'

export interface Column<T> {
  header: ReactNode
  cell(item: T): ReactNode
  /** Hidden on narrow screens when the table would not fit. */
  secondary?: boolean
}

/**
 * A cursor-paginated list with a search box and filters: every list in the dashboard is one of
 * these, so every list pages, filters and searches the same way. `empty` says what to do when
 * nothing matches; `emptySearch` when filters or a search removed everything.
 */
export function ListView<T>(props: {
  path: string
  /** Filters, sent as query parameters; the list starts over when they change. */
  query?: Query
  searchLabel?: string
  initialSearch?: string
  onSearchChange?(value: string): void
  filters?: ReactNode
  columns: Column<T>[]
  rowKey(item: T): string
  onOpen?(item: T): void
  empty: ReactNode
  limit?: number
  /** Re-fetches when this changes (after a create or update). */
  version?: number
  /**
   * For APIs that do not search or filter: the loaded page is narrowed here instead (the search
   * text is then not sent). `active` says whether a filter is set, for the empty message.
   */
  localFilter?: { match(item: T, q: string): boolean; active: boolean }
}) {
  const { t } = useTranslation()
  const [search, setSearch] = useState(props.initialSearch ?? '')
  const q = useDebounced(search.trim(), 300)
  const filtered = Object.values(props.query ?? {}).some((v) => v !== undefined && v !== '') || q !== '' || (props.localFilter?.active ?? false)
  const list = usePagedList<T>(props.path, { ...props.query, q: props.searchLabel && !props.localFilter ? q : undefined, limit: props.limit ?? 25 }, props.version)
  const loaded = list.data?.items ?? []
  const items = props.localFilter ? loaded.filter((item) => props.localFilter!.match(item, q.toLowerCase())) : loaded
  return (
    <div className="list-view">
      {(props.searchLabel || props.filters) && (
        <div className="toolbar">
          {props.searchLabel && (
            <input
              type="search"
              className="search"
              placeholder={props.searchLabel}
              aria-label={props.searchLabel}
              value={search}
              onChange={(e) => {
                setSearch(e.target.value)
                props.onSearchChange?.(e.target.value)
              }}
            />
          )}
          {props.filters}
        </div>
      )}
      {list.error ? (
        <ErrorMessage error={list.error} onRetry={list.reload} />
      ) : list.loading && !list.data ? (
        <Spinner label={t('common.loading')} />
      ) : items.length === 0 ? (
        filtered ? (
          <div className="empty-inline" role="status">
            {t('common.noMatches')}
          </div>
        ) : (
          props.empty
        )
      ) : (
        <div className="table-wrap">
          <table className={props.onOpen ? 'table clickable' : 'table'}>
            <thead>
              <tr>
                {props.columns.map((c, i) => (
                  <th key={i} className={c.secondary ? 'secondary' : undefined}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr
                  key={props.rowKey(item)}
                  onClick={props.onOpen ? () => props.onOpen!(item) : undefined}
                  onKeyDown={props.onOpen ? (e) => e.key === 'Enter' && props.onOpen!(item) : undefined}
                  tabIndex={props.onOpen ? 0 : undefined}
                >
                  {props.columns.map((c, i) => (
                    <td key={i} className={c.secondary ? 'secondary' : undefined}>
                      {c.cell(item)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(list.hasNext || list.hasPrevious) && (
        <div className="pager">
          <button type="button" className="button secondary small" disabled={!list.hasPrevious} onClick={list.previous}>
            {t('common.previous')}
          </button>
          <span>{t('common.page', { page: list.page })}</span>
          <button type="button" className="button secondary small" disabled={!list.hasNext} onClick={list.next}>
            {t('common.next')}
          </button>
        </div>
      )}
    </div>
  )
}
