/**
 * Which playground a page talks to, first match wins: the page's own address
 * (`?playground=http://127.0.0.1:4000`, for a playground started by hand, and the
 * browser tests), then the site's config (`npm start -- --playground-port` puts it
 * there), then the usual http://127.0.0.1:3210. Anything but a bare http(s) origin
 * is ignored. No imports: the maintainer tests run it outside the site.
 */

export const DEFAULT_PLAYGROUND_URL = 'http://127.0.0.1:3210';

/** `http://host:port` without a trailing slash, or `undefined` if `value` is not that. */
function origin(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\/$/, '');
  return /^https?:\/\/[^/?#\s]+$/.test(trimmed) ? trimmed : undefined;
}

/** `search` is the page's `location.search` ('' during server-side rendering); `configured` the site config's `playgroundUrl`. */
export function choosePlaygroundUrl(search: string, configured: unknown): string {
  return origin(new URLSearchParams(search).get('playground')) ?? origin(configured) ?? DEFAULT_PLAYGROUND_URL;
}
