/**
 * The Sensors Data (神策) tracking protocol: decode what the Sensors SDKs upload (Web, WeChat
 * mini program, Android, iOS, server SDKs) and turn each record into Chorus's normalised
 * messages. Pure functions; the HTTP routes call them.
 *
 * @example
 * const decoded = decodeSensorsPayload({ method, query, contentType, body, headers })
 * if (decoded.kind === 'BadRequest') return reply.code(400).send({ error: decoded.message })
 * const { messages, items, rejections } = sensorsRecordsToMessages(decoded.records, {
 *   receivedAt: Date.now(), ip: request.ip, project: decoded.project,
 * })
 */
export {
  decodeSensorsPayload,
  encryptedPayloadMessage,
  type SensorsDecodeOptions,
  type SensorsDecodeResult,
  type SensorsRequest,
} from './decode-payload.ts'
export {
  sensorsRecordToMessages,
  sensorsRecordsToMessages,
  type ItemChange,
  type SensorsBatchConversion,
  type SensorsConversion,
  type SensorsConversionContext,
} from './record-to-messages.ts'
export { SensorsRecord, SENSORS_RECORD_TYPES, parseSensorsRecord, type SensorsRecordType } from './record-schema.ts'
export { identifierTypeForIdentityKey, resolveRecordIdentity, type RecordIdentity } from './identities.ts'
export { sensorsChannel, sensorsCampaign } from './message-context.ts'
export { orderFromEvent } from '../order.ts'
export { TRACKING_GIF, TRACKING_GIF_CONTENT_TYPE } from './tracking-gif.ts'
