import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'

/** An error that is the client's to fix; its message is shown to them as is. */
export class HttpError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly details: unknown
  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    super(message)
    this.statusCode = statusCode
    this.code = code
    this.details = details
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

/**
 * One place that turns errors into answers: our HttpErrors and Fastify's own client errors keep
 * their status and get a message a person can act on; anything else is logged and answered with a
 * generic 500 that leaks nothing.
 */
export function errorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) return send(reply, error.statusCode, error.code, error.message, error.details)
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message }))
      const first = details[0]
      return send(reply, 400, 'ValidationFailed', `Invalid ${error.validationContext ?? 'request'}: ${first ? `${first.path} ${first.message}` : error.message}`, details)
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE': {
        const limit = request.routeOptions.config?.bodyLimitLabel
        return send(reply, 413, 'PayloadTooLarge', limit ? `Request body is larger than the limit of ${limit}` : 'Request body is too large')
      }
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 415, 'UnsupportedMediaType', `Unsupported Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')}; send application/json`)
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 400, 'EmptyBody', 'The request body is empty; send a JSON object')
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, 400, 'MalformedJson', `The request body is not valid JSON: ${error.message}`)
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, 400, 'BadContentLength', 'Content-Length does not match the body')
    }
    if (error.code === 'Z_DATA_ERROR' || error.code === 'Z_BUF_ERROR' || (error as { errno?: number }).errno === -3) {
      return send(reply, 400, 'BadEncoding', 'The body says Content-Encoding: gzip but could not be decompressed')
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, error.code ?? 'BadRequest', error.message)
    }
    logger.error({ err: error, method: request.method, url: request.url }, 'unhandled error')
    return send(reply, 500, 'InternalError', 'Something went wrong on our side; it has been logged')
  }
}

function send(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } }
  return reply.status(status).send(body)
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Shown in the 413 answer, e.g. "500 KB per batch". */
    bodyLimitLabel?: string
  }
}
