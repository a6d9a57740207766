/**
 * A one-line progress bar on stderr (so stdout stays clean for `--json`): percent by bytes read,
 * rows, rate and time left. Redraws at most every 200 ms.
 */
export class ProgressBar {
  readonly #total: number
  readonly #stream: NodeJS.WriteStream
  readonly #started = Date.now()
  #lastDraw = 0

  constructor(totalBytes: number, stream: NodeJS.WriteStream = process.stderr) {
    this.#total = totalBytes
    this.#stream = stream
  }

  update(bytes: number, rows: number, force = false): void {
    const now = Date.now()
    if (!force && now - this.#lastDraw < 200) return
    this.#lastDraw = now
    const fraction = this.#total > 0 ? Math.min(1, bytes / this.#total) : 1
    const seconds = Math.max(0.001, (now - this.#started) / 1000)
    const rate = rows / seconds
    const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0
    const width = 24
    const filled = Math.round(fraction * width)
    const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en')} rows  ${Math.round(rate).toLocaleString('en')} rows/s  ETA ${formatSeconds(eta)}`
    if (this.#stream.isTTY) this.#stream.write(`\r${line}`)
    else if (force) this.#stream.write(`${line}\n`)
  }

  finish(bytes: number, rows: number): void {
    this.update(bytes, rows, true)
    if (this.#stream.isTTY) this.#stream.write('\n')
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?'
  if (s < 60) return `${Math.ceil(s)}s`
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`
}
