import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { canonicalProfileId, profileGroup } from '../../profiles/index.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import type { AppContext } from '../../server/context.ts'
import { HttpError } from '../../server/errors.ts'
import { CHANNELS, Channel } from '../channel.ts'
import { ConsentState, consentOf, setConsent, setDoNotContact } from '../consent.ts'
import { loadContactProfile, reachability, resolveChannel } from '../contact.ts'
import { ChannelSettings, channelSettings, updateChannelSettings } from '../settings-store.ts'
import { inboxKey, receiptKey } from '../tracking/tokens.ts'

const ProfileParams = z.object({ profileId: z.string().min(1) })

/** Consent per person and channel, do-not-contact, reachability, and the workspace's channel settings. */
export async function consentRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const canonical = async (workspaceId: string, profileId: string) => {
    const id = await canonicalProfileId(db, workspaceId, profileId)
    if (!id) throw new HttpError(404, 'NotFound', `No profile ${profileId}`)
    return id
  }

  app.get('/channels/consents/:profileId', { preHandler: requirePermission(db, 'read'), schema: { description: "A person's consent per channel and do-not-contact flag", tags: ['channels'], params: ProfileParams } }, async (request) => {
    const { workspaceId } = principalOf(request)
    const id = await canonical(workspaceId, request.params.profileId)
    const { consents, doNotContact } = await consentOf(db, workspaceId, await profileGroup(db, workspaceId, id))
    return {
      profileId: id,
      doNotContact: doNotContact ? { reason: doNotContact.reason, source: doNotContact.source, since: new Date(doNotContact.createdAt).toISOString() } : null,
      channels: Object.fromEntries(CHANNELS.map((c) => {
        const record = consents.get(c)
        return [c, record ? { state: record.state, source: record.source, updatedAt: new Date(record.updatedAt).toISOString() } : { state: 'unknown', source: null, updatedAt: null }]
      })),
    }
  })

  app.put(
    '/channels/consents/:profileId',
    {
      preHandler: requirePermission(db, 'write'),
      schema: { description: "Set a person's consent on a channel; records Subscribed / Unsubscribed in the log", tags: ['channels'], params: ProfileParams, body: z.object({ channel: Channel, state: ConsentState, source: z.string().min(1).max(100).default('api') }) },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const id = await canonical(workspaceId, request.params.profileId)
      const now = ctx.clock.now()
      const changed = await db.transaction().execute((trx) => setConsent(trx, ctx.database.dialect, { workspaceId, profileId: id, ...request.body, now }))
      return { profileId: id, channel: request.body.channel, state: request.body.state, changed }
    },
  )

  app.put(
    '/channels/consents/:profileId/do-not-contact',
    {
      preHandler: requirePermission(db, 'write'),
      schema: { description: 'Mark or clear do-not-contact: while marked, nothing is sent to the person on any channel', tags: ['channels'], params: ProfileParams, body: z.object({ doNotContact: z.boolean(), reason: z.string().min(1).max(500).optional(), source: z.string().min(1).max(100).default('api') }) },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const id = await canonical(workspaceId, request.params.profileId)
      const now = ctx.clock.now()
      const changed = await db.transaction().execute((trx) => setDoNotContact(trx, ctx.database.dialect, { workspaceId, profileId: id, ...request.body, now }))
      return { profileId: id, doNotContact: request.body.doNotContact, changed }
    },
  )

  app.get(
    '/channels/reach/:profileId',
    {
      preHandler: requirePermission(db, 'read'),
      schema: {
        description: 'Which channels reach the person and why not; with ?order=wechat,sms also the channel a send in that order of preference would use',
        tags: ['channels'],
        params: ProfileParams,
        querystring: z.object({ order: z.string().optional().describe('Comma-separated channels, most preferred first') }),
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const person = await loadContactProfile(ctx, workspaceId, request.params.profileId)
      if (!person) throw new HttpError(404, 'NotFound', `No profile ${request.params.profileId}`)
      const order = request.query.order?.split(',').map((c) => c.trim()).filter(Boolean)
      const parsed = order ? z.array(Channel).safeParse(order) : null
      if (parsed && !parsed.success) throw new HttpError(400, 'UnknownChannel', `order names an unknown channel; channels are ${CHANNELS.join(', ')}`)
      return {
        profileId: person.profileId,
        channels: Object.fromEntries(CHANNELS.map((c) => [c, reachability(person, c)])),
        ...(parsed?.success ? { resolution: resolveChannel(person, parsed.data) } : {}),
      }
    },
  )

  const settingsView = async (workspaceId: string) => {
    const s = await channelSettings(db, workspaceId, ctx.clock.now())
    const key = receiptKey(s.secret, workspaceId)
    return {
      publicUrl: s.publicUrl,
      requireOptIn: s.requireOptIn,
      inboxVerification: s.inboxVerification,
      receiptUrls: Object.fromEntries(['aliyun', 'tencent', 'generic'].map((p) => [p, `${s.publicUrl}/api/v1/channels/receipts/${p}?key=${encodeURIComponent(key)}`])),
      inboxKey: inboxKey(s.secret),
    }
  }

  app.get('/channels/settings', { preHandler: requirePermission(db, 'admin'), schema: { description: 'Public URL for tracked links, opt-in rules, delivery-receipt URLs to give providers, and the inbox key for apps’ servers', tags: ['channels'] } }, async (request) =>
    settingsView(principalOf(request).workspaceId),
  )

  app.put('/channels/settings', { preHandler: requirePermission(db, 'admin'), schema: { description: 'Change channel settings', tags: ['channels'], body: ChannelSettings.partial() } }, async (request) => {
    const { workspaceId } = principalOf(request)
    await updateChannelSettings(db, workspaceId, request.body, ctx.clock.now())
    return settingsView(workspaceId)
  })
}
