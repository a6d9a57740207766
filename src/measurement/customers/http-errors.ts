import { HttpError } from '../../server/errors.ts'
import { InvalidMeasurementInput } from './input-error.ts'

/** Runs a domain call and turns its input errors into HTTP errors with the same message. */
export async function answering<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof InvalidMeasurementInput) throw new HttpError(error.status, error.code, error.message)
    throw error
  }
}
