import { useEffect, useRef, useState } from 'react'
import type { EChartsCoreOption } from 'echarts/core'

type Echarts = typeof import('echarts/core')

/**
 * ECharts is loaded on first use (a separate bundle) with only the chart types the dashboard
 * draws, and renders to SVG: text stays crisp on any screen and stays readable by assistive
 * technology and tests.
 */
let loading: Promise<Echarts> | null = null
function loadEcharts(): Promise<Echarts> {
  loading ??= Promise.all([import('echarts/core'), import('echarts/charts'), import('echarts/components'), import('echarts/renderers')]).then(([core, charts, components, renderers]) => {
    core.use([
      charts.BarChart,
      charts.LineChart,
      charts.FunnelChart,
      charts.HeatmapChart,
      charts.SankeyChart,
      charts.GraphChart,
      charts.CustomChart,
      charts.ScatterChart,
      components.GridComponent,
      components.TooltipComponent,
      components.LegendComponent,
      components.VisualMapComponent,
      components.DatasetComponent,
      components.MarkLineComponent,
      components.AriaComponent,
      renderers.SVGRenderer,
    ])
    return core
  })
  return loading
}

/** One chart; resizes with its container. `label` describes it to screen readers. */
export function Chart({ option, height = 320, label }: { option: EChartsCoreOption; height?: number; label: string }) {
  const element = useRef<HTMLDivElement>(null)
  const chart = useRef<ReturnType<Echarts['init']> | null>(null)
  const [ready, setReady] = useState(false)

  useEffect(() => {
    let disposed = false
    let observer: ResizeObserver | null = null
    void loadEcharts().then((echarts) => {
      if (disposed || !element.current) return
      chart.current = echarts.init(element.current, null, { renderer: 'svg' })
      observer = new ResizeObserver(() => chart.current?.resize())
      observer.observe(element.current)
      setReady(true)
    })
    return () => {
      disposed = true
      observer?.disconnect()
      chart.current?.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    // Bars that grow and lines that draw themselves are motion; people who asked their system for
    // less of it get the finished chart at once (WCAG 2.3.3).
    const animation = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches
    if (ready) chart.current?.setOption({ animation, aria: { enabled: true, label: { description: label } }, ...option }, true)
  }, [ready, option, label])

  return <div className="chart" ref={element} style={{ height }} role="img" aria-label={label} />
}
