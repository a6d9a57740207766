import { HttpError } from '../server/errors.ts'
import type { DefinitionIssue } from './parse-definition.ts'

/** 400 naming the first problem and its path; every problem is in `details`. */
export function invalid(issues: DefinitionIssue[]): HttpError {
  const first = issues[0]!
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''}, listed in details)` : ''
  return new HttpError(400, 'InvalidDefinition', `${first.path}: ${first.message}${more}`, issues)
}

export function notFound(id: string): HttpError {
  return new HttpError(404, 'NotFound', `No audience ${id} in this workspace`)
}

export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url')
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^[a-z]+_[0-9a-z]+$/.test(id)) throw new HttpError(400, 'InvalidCursor', 'The cursor is not one this API returned')
  return id
}
