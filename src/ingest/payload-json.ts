import type { IngestMessage } from './message.ts'

const serialised = new WeakMap<IngestMessage, string>()

/**
 * The stored JSON of a message's payload, computed once: normalisation serialises it to check
 * the 32 KB limit, and the writer stores that same string.
 */
export function payloadJson(message: IngestMessage): string {
  let json = serialised.get(message) ?? message.payloadJson
  if (json === undefined) {
    json = JSON.stringify(message.payload)
    serialised.set(message, json)
  }
  return json
}

/** Records the JSON already computed for a payload (normalisers call this). */
export function rememberPayloadJson(message: IngestMessage, json: string): void {
  serialised.set(message, json)
}
