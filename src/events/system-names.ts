import { SCORE_TRAITS } from '../measurement/customers/score-store.ts'

/**
 * Events Chorus writes to the log itself. A definition (journey or audience) may name them before
 * any has happened, so checks for names a workspace has never seen let them through.
 */
export const SYSTEM_EVENTS: readonly string[] = [
  'Audience Entered',
  'Audience Exited',
  'Message Sent',
  'Message Delivered',
  'Message Opened',
  'Message Clicked',
  'Message Blocked',
  'Message Failed',
  'Subscribed',
  'Unsubscribed',
  'Do Not Contact Set',
  'Do Not Contact Cleared',
  'Journey Goal Reached',
  'Traits Updated',
]

/**
 * Traits Chorus itself writes (model scores) or reads (a person's time zone): a definition may
 * name them before any profile has one, as it may Chorus's own events.
 */
export const SYSTEM_TRAITS: readonly string[] = ['timezone', ...Object.values(SCORE_TRAITS)]
