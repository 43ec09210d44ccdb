/**
 * What the handshake recorder must never show in clear: `auth` values and cookies.
 * A recording is drawn on a page and may be shared in a screenshot, so secrets are
 * replaced by a mask while their *shape* (names, types) stays visible: that is the lesson.
 *
 * @module
 */

/** What a secret value is replaced with. */
export const MASK = '•••';

/** Headers whose values are credentials. Names are lowercase, as Node gives them. */
const secretHeaders = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/**
 * Masks every leaf value of `auth` (the `auth` option of a Socket.IO client), keeping
 * the keys and the nesting: `{ token: "abc" }` becomes `{ token: "•••" }`.
 */
export function maskAuth(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskAuth);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskAuth(inner)]));
  }
  return value === undefined ? undefined : MASK;
}

/** `a=1; b=2` → `a=•••; b=•••`: the cookie names stay, the values go. */
export function maskCookieHeader(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const trimmed = pair.trim();
      const equals = trimmed.indexOf('=');
      return equals === -1 ? trimmed : `${trimmed.slice(0, equals)}=${MASK}`;
    })
    .join('; ');
}

/** `id=abc; Path=/; HttpOnly` → `id=•••; Path=/; HttpOnly`: only the cookie's own value is secret. */
export function maskSetCookie(value: string): string {
  const [first = '', ...attributes] = value.split(';');
  return [maskCookieHeader(first), ...attributes.map((a) => a.trim())].join('; ');
}

/** One header's value, masked if it is a credential. `Bearer abc` keeps its scheme: `Bearer •••`. */
export function maskHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (!secretHeaders.has(lower)) return value;
  if (lower === 'cookie') return maskCookieHeader(value);
  if (lower === 'set-cookie') return maskSetCookie(value);
  const space = value.indexOf(' ');
  return space === -1 ? MASK : `${value.slice(0, space)} ${MASK}`;
}

/** Header lines (`Name: value`), credentials masked, in the order given. */
export function headerLines(headers: Iterable<[string, string | number | readonly string[] | undefined]>): string[] {
  const lines: string[] = [];
  for (const [name, value] of headers) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [String(value)]) lines.push(`${name}: ${maskHeaderValue(name, String(one))}`);
  }
  return lines;
}

/** `rawHeaders` as Node keeps them (`[name, value, name, value, …]`, original case and order) → pairs. */
export function pairs(rawHeaders: readonly string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) result.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return result;
}
