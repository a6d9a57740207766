/** The same keys as the English texts, with any string values. */
export type Translated<T> = { [K in keyof T]: T[K] extends string ? string : Translated<T[K]> }
