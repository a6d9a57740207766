import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** Where `npm run build:web` writes the dashboard, relative to the repository. */
export const DEFAULT_DASHBOARD_ROOT = resolve(import.meta.dirname, '..', '..', 'web', 'dist')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map'])

/**
 * The page's Content-Security-Policy: scripts only from this origin (no inline script, so an
 * injected `<script>` cannot run even if one slipped past React's escaping), API calls only to
 * this origin, no framing by other sites. Inline styles are allowed: charts and the e-mail
 * preview (a sandboxed srcdoc frame) use them.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

interface CachedFile {
  mtimeMs: number
  size: number
  body: Buffer
  gzip: Buffer | null
  etag: string
  type: string
}

/** Paths that belong to the APIs: an unknown one answers JSON 404, never the dashboard page. */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/v1' || path.startsWith('/v1/')
}

/**
 * Serves the built dashboard (`web/dist`) at `/`: hashed files under `/assets/` are cached for a
 * year; any other path without a file extension gets `index.html`, so the dashboard's own routes
 * (`/customers/prf_…`) survive a reload. Files are gzip-compressed once and kept in memory; a
 * rebuild is noticed by the file's modification time.
 *
 * @example await app.register(async (scope) => dashboardRoutes(scope))
 */
export async function dashboardRoutes(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? DEFAULT_DASHBOARD_ROOT
  const cache = new Map<string, CachedFile>()

  async function load(relative: string): Promise<CachedFile | null> {
    const full = resolve(join(root, relative))
    if (full !== root && !full.startsWith(root + sep)) return null
    const info = await stat(full).catch(() => null)
    if (!info?.isFile()) return null
    const hit = cache.get(full)
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit
    const body = await readFile(full)
    const ext = extname(full).toLowerCase()
    const file: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      type: TYPES[ext] ?? 'application/octet-stream',
    }
    cache.set(full, file)
    return file
  }

  function send(request: FastifyRequest, reply: FastifyReply, file: CachedFile, cacheControl: string) {
    reply.header('content-type', file.type).header('cache-control', cacheControl).header('etag', file.etag).header('x-content-type-options', 'nosniff')
    if (file.type.startsWith('text/html')) {
      reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin')
    }
    if (request.headers['if-none-match'] === file.etag) return reply.status(304).send()
    if (file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').header('vary', 'Accept-Encoding').send(file.gzip)
    }
    return reply.send(file.body)
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const rawPath = request.url.split('?')[0]!
    let path: string
    try {
      path = decodeURIComponent(rawPath)
    } catch {
      return reply.status(400).send({ error: { code: 'BadPath', message: 'The path is not valid percent-encoding' } })
    }
    if (isApiPath(path)) return reply.status(404).send({ error: { code: 'NotFound', message: `No route ${request.method} ${rawPath}` } })
    if (path !== '/' && !path.includes('\0')) {
      const file = await load(path.slice(1))
      if (file) return send(request, reply, file, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      // A missing file (has an extension) is a 404; anything else is a dashboard route.
      if (extname(path) !== '') return reply.status(404).type('text/plain; charset=utf-8').send(`Not found: ${rawPath}`)
    }
    const index = await load('index.html')
    if (index) return send(request, reply, index, 'no-cache')
    return reply
      .status(503)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .send(
        '<!doctype html><meta charset="utf-8"><title>Chorus</title><h1>The dashboard has not been built</h1>' +
          '<p>Run <code>npm run build:web</code> in the Chorus folder, then reload this page. The API works without it.</p>' +
          '<p>控制台尚未构建:请在 Chorus 目录运行 <code>npm run build:web</code>,然后刷新本页。</p>',
      )
  }
  app.get('/', { schema: { hide: true } }, handler)
  app.get('/*', { schema: { hide: true } }, handler)
}
