/**
 * After `close()`, a server no longer listens: its port refuses connections. For
 * every server check's close tests, with a bounded wait on the learner's `close()`.
 *
 * @module
 */
import type { RunningServer } from '../../exercises/types.ts';
import { expectThat } from './check-failure.ts';
import { accepts } from './server-contract.ts';
import { formatMs, within } from './wait.ts';
import { CLOSE_LIMIT_MS } from './workbench.ts';

/** Calls `server.close()` (described by `did`), expects it to resolve within the close limit, then its port on 127.0.0.1 to refuse. */
export async function expectCloseStopsListening(
  server: Pick<RunningServer, 'port' | 'close'>,
  did: string,
  hints: { readonly slow?: string; readonly stillListening?: string } = {},
): Promise<void> {
  await within(server.close(), CLOSE_LIMIT_MS, () => ({
    did,
    expected: `close() to resolve within ${formatMs(CLOSE_LIMIT_MS)}`,
    actual: 'it had not resolved',
    ...(hints.slow === undefined ? {} : { hint: hints.slow }),
  }));
  await expectPortRefuses(server.port, did, hints.stillListening);
}

/** Expects a connection to `port` on 127.0.0.1 to be refused, once `did` has closed the server. */
export async function expectPortRefuses(port: number, did: string, hint?: string): Promise<void> {
  expectThat(!(await accepts('127.0.0.1', port)), {
    did: `${did}, then connected to its port`,
    expected: 'the connection to be refused: the server no longer listens',
    actual: 'it was accepted: the server is still listening',
    ...(hint === undefined ? {} : { hint }),
  });
}
