/**
 * Just enough MIME (RFC 2045-2047) to read what nodemailer sends: headers (unfolded, encoded
 * words decoded) and the decoded text of every leaf part by content type.
 */
export interface ParsedMail {
  headers: Map<string, string>
  parts: Map<string, string>
}

export function parseMail(raw: string): ParsedMail {
  const { headers, body } = split(raw)
  const parts = new Map<string, string>()
  collect(headers, body, parts)
  return { headers, parts }
}

function split(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/)
  const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, ' ')
  const body = raw.slice(at).replace(/^\r?\n\r?\n/, '')
  const headers = new Map<string, string>()
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()))
  }
  return { headers, body }
}

function collect(headers: Map<string, string>, body: string, parts: Map<string, string>): void {
  const type = headers.get('content-type') ?? 'text/plain'
  const boundary = type.match(/boundary="?([^";]+)"?/)?.[1]
  if (type.startsWith('multipart/') && boundary) {
    for (const piece of body.split(`--${boundary}`).slice(1)) {
      if (piece.startsWith('--')) break
      const inner = split(piece.replace(/^\r?\n/, ''))
      collect(inner.headers, inner.body, parts)
    }
    return
  }
  parts.set(type.split(';')[0]!.trim(), decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit'))
}

function decodeBody(body: string, encoding: string): string {
  if (encoding.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding.toLowerCase() === 'quoted-printable') {
    return decodeURIComponent(body.replace(/=\r?\n/g, '').replace(/%/g, '%25').replace(/=([0-9A-F]{2})/gi, '%$1'))
  }
  return body
}

function decodeWords(text: string): string {
  return text.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, kind: string, data: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
  )
}
