/**
 * The answer to an image-mode upload (`GET /sa.gif?data=…`): a 1×1 transparent GIF89a, 43 bytes.
 * The Web SDK loads the URL as an `<img>`; answering with a real image keeps browsers from
 * logging a broken-image error for every event.
 *
 * Layout (GIF89a spec, W3C/CompuServe 1990): header `GIF89a`, logical screen 1×1 with a
 * 2-colour global table (black, white), a graphic control extension marking colour 0
 * transparent, one 1×1 image, LZW data, trailer `;`.
 */
export const TRACKING_GIF: Buffer = Buffer.from(
  'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'base64',
)

export const TRACKING_GIF_CONTENT_TYPE = 'image/gif'
