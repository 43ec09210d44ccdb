/**
 * The browser side of the Admin UI in `npm run dev`: the UI that
 * `@socket.io/admin-ui` ships (`ui/dist`), served from this machine on
 * 127.0.0.1, with the icon font it would fetch from a CDN served from
 * `@mdi/font` instead, so nothing is fetched at run time (a Content-Security-Policy
 * makes the browser refuse anything else). Also the credentials: a random
 * password, printed once, of which the learner's server only ever sees the hash.
 *
 * @module
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { ADMIN_UI_NAMESPACE } from './admin-ui-instrument.ts';
import { contentTypeOf } from './content-types.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** The UI the package ships, and the icon font its page loads. */
export const adminUiDist = path.join(packageDir('@socket.io/admin-ui'), 'ui', 'dist');
const iconFontDir = packageDir('@mdi/font');

export interface AdminCredentials {
  readonly username: string;
  /** Shown to the learner once; never written anywhere. */
  readonly password: string;
  /** What the learner's server checks it against (bcrypt, as the Admin UI's docs ask). */
  readonly passwordHash: string;
}

/** A fresh password for this run of `npm run dev`, and its bcrypt hash. */
export async function createAdminCredentials(): Promise<AdminCredentials> {
  // 12 characters from a 32-letter alphabet without look-alikes (0/o, 1/l): 60 bits, easy to type.
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const password = Array.from(crypto.randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join('');
  return { username: 'admin', password, passwordHash: await bcrypt.hash(password, 10) };
}

export interface AdminUiServer {
  /** `http://127.0.0.1:<port>`: the UI's origin, which the learner's server lets in by CORS. */
  readonly url: string;
  close(): Promise<void>;
}

// The UI talks to the learner's server on this machine (any port), and to nothing else.
const contentSecurityPolicy = [
  "default-src 'self'",
  "connect-src 'self' http://127.0.0.1:* ws://127.0.0.1:* http://localhost:* ws://localhost:*",
  // Vuetify sets styles inline.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
].join('; ');

/** Settings the UI reads from localStorage on load: our namespace instead of its default `/admin`. */
const workbookSettings = `// Written by npm run dev: the namespace the workbook instruments (its servers may have an /admin of their own).\nlocalStorage.setItem('namespace', ${JSON.stringify(ADMIN_UI_NAMESPACE)});\n`;

/**
 * The shipped index.html with the two stylesheets it would fetch from CDNs replaced:
 * the icon font from `@mdi/font`; the Roboto font dropped (the UI falls back to the
 * system's sans-serif). Throws if the page no longer looks as expected, rather than
 * serving a UI that fetches from the Internet.
 */
export function localIndexHtml(shipped: string): string {
  const fonts = /<link[^>]+href="https:\/\/fonts\.googleapis\.com[^"]*"[^>]*>/;
  const icons = /<link[^>]+href="https:\/\/cdn\.jsdelivr\.net\/npm\/@mdi\/font[^"]*"[^>]*>/;
  if (!fonts.test(shipped) || !icons.test(shipped)) throw new Error(`${path.join(adminUiDist, 'index.html')} changed: update localIndexHtml() in tooling/playground/admin-ui-server.ts.`);
  const html = shipped
    .replace(fonts, '')
    .replace(icons, '<link rel="stylesheet" href="mdi/css/materialdesignicons.min.css">')
    .replace('<script', '<script src="workbook-settings.js"></script><script');
  if (/(?:href|src)="https?:/.test(html)) throw new Error('The Admin UI page still loads something from the network: see localIndexHtml() in tooling/playground/admin-ui-server.ts.');
  return html;
}

/** Serves the Admin UI on `host` (127.0.0.1: this machine only) and `port` (0: any free one). */
export async function serveAdminUi(options: { readonly host: string; readonly port: number }): Promise<AdminUiServer> {
  const index = localIndexHtml(fs.readFileSync(path.join(adminUiDist, 'index.html'), 'utf8'));
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const headers = { 'content-security-policy': contentSecurityPolicy, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
    if (pathname === '/' || pathname === '/index.html') return void response.writeHead(200, { ...headers, 'content-type': contentTypeOf('index.html')! }).end(index);
    if (pathname === '/workbook-settings.js') return void response.writeHead(200, { ...headers, 'content-type': contentTypeOf('settings.js')! }).end(workbookSettings);
    const [root, relative] = pathname.startsWith('/mdi/') ? [iconFontDir, pathname.slice('/mdi/'.length)] : [adminUiDist, pathname.slice(1)];
    const file = path.join(root, path.normalize(relative));
    const type = contentTypeOf(file);
    if (!file.startsWith(root + path.sep) || !type || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      return void response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${pathname}`);
    }
    response.writeHead(200, { ...headers, 'content-type': type });
    fs.createReadStream(file).pipe(response);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
