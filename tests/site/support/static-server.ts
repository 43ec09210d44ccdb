/**
 * A tiny static file server for `docs/build`, on a free port: what a static host
 * does, and nothing more. Clean URLs (`/lessons/tcp`) map to `lessons/tcp.html`,
 * unknown paths get `404.html`, text is gzipped when the browser asks (as any
 * real host would; the benchmark measures with it).
 *
 * @module
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { contentTypeOf } from '../../../tooling/playground/content-types.ts';

export interface StaticServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

const compressible = /^(text\/|application\/(json|xml)|image\/svg)/;

export async function serveStatic(root: string): Promise<StaticServer> {
  const server = http.createServer((request, response) => {
    handle(root, request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  // Connections kept alive by the browser must not hold close() forever.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(root: string, request: http.IncomingMessage, response: http.ServerResponse) {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  const file = await resolveFile(root, pathname);
  const status = file ? 200 : 404;
  const served = file ?? path.join(root, '404.html');
  let body: Buffer = await fs.readFile(served);
  const type = contentTypeOf(served) ?? 'application/octet-stream';
  const headers: http.OutgoingHttpHeaders = { 'content-type': type, 'cache-control': 'no-cache' };
  if (compressible.test(type) && /\bgzip\b/.test(String(request.headers['accept-encoding']))) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = body.length;
  response.writeHead(status, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The file a path names, trying `<path>`, `<path>.html` and `<path>/index.html`; never outside `root`. */
async function resolveFile(root: string, pathname: string): Promise<string | undefined> {
  const base = path.join(root, path.normalize(pathname));
  if (!base.startsWith(root)) return undefined;
  for (const candidate of [base, `${base}.html`, path.join(base, 'index.html')]) {
    const stat = await fs.stat(candidate).catch(() => undefined);
    if (stat?.isFile()) return candidate;
  }
  return undefined;
}
