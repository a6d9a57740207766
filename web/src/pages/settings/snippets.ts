/**
 * Copy-paste set-up code for each kind of SDK, pointed at this Chorus. Segment-style clients
 * (analytics.js via analytics-next, analytics-node) read their settings and send their calls to
 * the host given; Sensors SDKs send to `server_url` with the workspace as `project` and the write
 * key as `token` (see docs/ingest.md).
 */
export interface SnippetInput {
  origin: string
  writeKey: string
  workspace: string
}

export type SnippetKind = 'segmentWeb' | 'segmentNode' | 'http' | 'sensorsWeb' | 'sensorsMiniProgram'

export const SNIPPET_KINDS: SnippetKind[] = ['segmentWeb', 'segmentNode', 'http', 'sensorsWeb', 'sensorsMiniProgram']

export function snippet(kind: SnippetKind, input: SnippetInput): string {
  const sensorsUrl = `${input.origin}/sa?project=${encodeURIComponent(input.workspace)}&token=${encodeURIComponent(input.writeKey)}`
  switch (kind) {
    case 'segmentWeb':
      return `// npm install @segment/analytics-next
import { AnalyticsBrowser } from '@segment/analytics-next'

// Settings and events go to Chorus instead of Segment's CDN and API.
export const analytics = AnalyticsBrowser.load({
  writeKey: '${input.writeKey}',
  cdnURL: '${input.origin}',
})

analytics.page()
analytics.identify('user-1001', { name: '王芳', phone: '13800138000' })
analytics.track('Order Completed', { order_id: 'o-1001', total: 199, currency: 'CNY' })`
    case 'segmentNode':
      return `// npm install @segment/analytics-node
import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({ writeKey: '${input.writeKey}', host: '${input.origin}' })

analytics.track({ userId: 'user-1001', event: 'Order Completed', properties: { order_id: 'o-1001', total: 199, currency: 'CNY' } })
await analytics.closeAndFlush()`
    case 'http':
      return `curl ${input.origin}/v1/track \\
  -u '${input.writeKey}:' \\
  -H 'Content-Type: application/json' \\
  -d '{"userId": "user-1001", "event": "Order Completed", "properties": {"order_id": "o-1001", "total": 199, "currency": "CNY"}}'`
    case 'sensorsWeb':
      return `// npm install sa-sdk-javascript  (or load sensorsdata.min.js)
import sensors from 'sa-sdk-javascript'

sensors.init({
  server_url: '${sensorsUrl}',
  is_track_single_page: true,
  use_client_time: true,
  send_type: 'beacon',
  heatmap: { clickmap: 'not_collect', scroll_notice_map: 'not_collect' },
})
sensors.quick('autoTrack')
sensors.login('user-1001')`
    case 'sensorsMiniProgram':
      return `// app.js — WeChat mini program, with sensorsdata.min.js in utils/
// Add ${new URL(input.origin).host} to the mini program's legal request domains.
const sensors = require('./utils/sensorsdata.min.js')

sensors.setPara({
  name: 'sensors',
  server_url: '${sensorsUrl}',
  autoTrack: { appLaunch: true, appShow: true, appHide: true, pageShow: true, pageShare: true, mpClick: true },
  show_log: false,
})
sensors.init()

App({
  onLaunch() {
    // After sign-in: sensors.login(userId); with the unionid: sensors.setOpenid(openid)
  },
})`
  }
}
