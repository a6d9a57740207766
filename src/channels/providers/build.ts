import type { Clock, Database } from '../../platform/index.ts'
import type { ChannelProvider } from '../provider.ts'
import type { StoredProvider } from '../provider-store.ts'
import { AliyunSmsProvider } from './aliyun-sms.ts'
import { InboxProvider } from './inbox.ts'
import { SmtpEmailProvider } from './smtp-email.ts'
import { TencentSmsProvider } from './tencent-sms.ts'
import { databaseTokenStore } from './wechat-api.ts'
import { WechatSubscribeProvider } from './wechat-subscribe.ts'
import { WechatTemplateProvider } from './wechat-template.ts'
import { WebhookProvider } from './webhook.ts'
import { WecomCustomerProvider } from './wecom-customer.ts'

/**
 * The adapter for a stored configuration. Providers are cheap to build (no connection is opened
 * until `send`), and tokens they need are shared through the database, so one is built per send.
 *
 * @example const provider = buildProvider(stored, { database, clock })
 */
export function buildProvider(stored: StoredProvider | 'inbox', deps: { database: Database; clock: Clock }): ChannelProvider {
  if (stored === 'inbox') return new InboxProvider(deps.database.db, deps.clock)
  const { config } = stored
  const tokens = () => databaseTokenStore(deps.database.db, stored.workspaceId, deps.clock)
  switch (config.kind) {
    case 'smtp':
      return new SmtpEmailProvider(config.settings, config.secrets)
    case 'aliyun_sms':
      return new AliyunSmsProvider(config.settings, config.secrets, deps.clock)
    case 'tencent_sms':
      return new TencentSmsProvider(config.settings, config.secrets, deps.clock)
    case 'wechat_template':
      return new WechatTemplateProvider(stored.id, config.settings, config.secrets, tokens(), deps.clock)
    case 'wechat_subscribe':
      return new WechatSubscribeProvider(stored.id, config.settings, config.secrets, tokens(), deps.clock)
    case 'wecom_customer':
      return new WecomCustomerProvider(stored.id, config.settings, config.secrets, tokens(), deps.clock)
    case 'webhook':
      return new WebhookProvider(config.settings, config.secrets, deps.clock)
  }
}
