import type { ReactNode } from 'react'

export interface Tab {
  id: string
  label: ReactNode
}

/** Tabs as buttons; the page keeps the selection (often in the URL). */
export function Tabs({ tabs, active, onChange, label }: { tabs: Tab[]; active: string; onChange(id: string): void; label: string }) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button key={tab.id} type="button" role="tab" aria-selected={tab.id === active} className={tab.id === active ? 'tab active' : 'tab'} onClick={() => onChange(tab.id)}>
          {tab.label}
        </button>
      ))}
    </div>
  )
}
