import type { Clock, Database } from '../../platform/index.ts'
import type { JourneyPorts } from '../ports.ts'
import { AudiencesMembership } from './audiences-membership.ts'
import { ChannelsSender } from './channels-sender.ts'
import { HttpWebhookCaller } from './http-webhook-caller.ts'

/**
 * The ports a running Chorus uses: delivery through the channels module, membership from the
 * audiences module, webhook nodes over HTTP.
 *
 * @example journeyBackgroundWork(ctx, defaultJourneyPorts(ctx))
 */
export function defaultJourneyPorts(ctx: { database: Database; clock: Clock }): JourneyPorts {
  return { sender: new ChannelsSender(ctx), audiences: new AudiencesMembership(ctx.database), webhooks: new HttpWebhookCaller() }
}
