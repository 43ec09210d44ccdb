/**
 * Who may talk to the playground from a browser: the site's own origins only.
 * Browsers attach `Origin` to every cross-origin request and to every WebSocket
 * handshake; a page from anywhere else is refused, so a random web site cannot
 * drive the learner's playground (or start a grading run) behind their back.
 * Clients that send no `Origin` at all (Node scripts, curl) are local programs:
 * the playground listens on 127.0.0.1, so only this machine can reach it.
 *
 * And where the site finds the playground: see {@link PLAYGROUND_URL_VARIABLE}.
 *
 * @module
 */

/** The port the site runs on with `npm start` (Docusaurus's default). */
export const SITE_PORT = 3000;

/**
 * The environment variable that tells the site where the playground listens
 * (`npm start` sets it for `docusaurus start`; `docs/docusaurus.config.ts` reads it).
 */
export const PLAYGROUND_URL_VARIABLE = 'WORKBOOK_PLAYGROUND_URL';

/** Origins allowed by default: the site as `npm start` serves it. */
export function siteOrigins(port: number = SITE_PORT): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

/** Origins added with `PLAYGROUND_ORIGINS=http://a:1,http://b:2` (what `npm start` passes when the site moves). */
export function originsFromEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.PLAYGROUND_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** Normalises `http://LocalHost:3000/` to `http://localhost:3000`; `undefined` if it is not an http(s) origin. */
export function normaliseOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the check: no `Origin` header → allowed (a local program); otherwise it must be in the list. */
export function originPolicy(allowed: readonly string[]): (origin: string | undefined) => boolean {
  const set = new Set(allowed.map(normaliseOrigin).filter((o): o is string => o !== undefined));
  return (origin) => origin === undefined || set.has(normaliseOrigin(origin) ?? '\0');
}
