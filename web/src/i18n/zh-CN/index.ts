import type { Texts } from '../en/index.ts'
import { common } from './common.ts'
import { analytics } from './analytics.ts'
import { audiences } from './audiences.ts'
import { campaigns } from './campaigns.ts'
import { content } from './content.ts'
import { customers } from './customers.ts'
import { journeys } from './journeys.ts'
import { broadcasts } from './broadcasts.ts'
import { predictions } from './predictions.ts'
import { overview } from './overview.ts'
import { settings } from './settings.ts'
import { imports } from './imports.ts'
import type { Translated } from './shape.ts'

/** 简体中文文案:与英文键完全一致(类型检查保证)。 */
export const zhCN: Translated<Texts> = { ...common, ...overview, ...customers, ...audiences, ...journeys, ...broadcasts, ...content, ...campaigns, ...analytics, ...predictions, ...settings, ...imports }
