/**
 * Channel grouping: ordered, editable rules that put every touchpoint in a channel and a channel
 * group, with defaults that know the Chinese platforms. See docs/measurement.md.
 */
export { CHANNEL_GROUPS, ChannelGroup, DIRECT_GROUPS } from './channel-group.ts'
export { FACT_FIELDS, TOUCH_ORIGINS, factValues, type TouchFacts, type TouchOrigin, type FactField } from './touch-facts.ts'
export { ChannelRule, RuleCondition, CHANNEL_PLACEHOLDERS, type ChannelRuleInput, type ChannelAssignment } from './channel-rule.ts'
export { defaultChannelRules } from './default-rules.ts'
export { ChannelClassifier, channelSlug } from './classify.ts'
export { PLATFORMS, PAID_MEDIUM_PATTERN, CLICK_ID_CHANNELS, CLICK_ID_PARAMS, type Platform } from './platforms.ts'
export { WECHAT_SCENE_CHANNELS, EXCLUDED_SCENES } from './wechat-scenes.ts'
export {
  getChannelRules,
  editChannelRules,
  resetChannelRules,
  MAX_CHANNEL_RULES,
  type ChannelRuleSet,
  type RuleEdit,
  type RuleEditOutcome,
  type RuleEditRefusal,
} from './rule-store.ts'
export { insertRule, replaceRule, removeRule, replaceAllRules } from './rule-edits.ts'
