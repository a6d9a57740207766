/**
 * A request the caller must change: a bad date, a window that ends before it starts, a feature
 * this database does not have yet. Routes answer it with 400 (or the status given) and its message.
 */
export class InvalidMeasurementInput extends Error {
  readonly status: number
  readonly code: string
  constructor(message: string, options: { status?: number; code?: string } = {}) {
    super(message)
    this.status = options.status ?? 400
    this.code = options.code ?? 'InvalidInput'
  }
}
