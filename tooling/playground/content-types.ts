/**
 * The `Content-Type` of a file served to a browser, by its extension: one table
 * for the servers the workbook runs (the Admin UI's, and the tests' static host
 * of the site's build).
 *
 * @module
 */
import path from 'node:path';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
};

/** The type to send `file` with, or `undefined` for an extension not in the table. */
export function contentTypeOf(file: string): string | undefined {
  return contentTypes[path.extname(file).toLowerCase()];
}
