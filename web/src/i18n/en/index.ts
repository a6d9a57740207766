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

/** The English texts: the source of every key (Chinese must have the same ones). */
export const en = { ...common, ...overview, ...customers, ...audiences, ...journeys, ...broadcasts, ...content, ...campaigns, ...analytics, ...predictions, ...settings, ...imports }
export type Texts = typeof en
