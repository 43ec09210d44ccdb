/**
 * Listen errors in one line a learner can act on, never a stack trace.
 *
 * @module
 */

/** `what` is e.g. "The playground"; `retry` the command that picks another port. */
export function describeListenError(error: unknown, what: string, host: string, port: number, retry: string): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return `${what} cannot start: port ${port} on ${host} is already in use (another copy still running?). Stop it, or pick another port: ${retry}`;
  }
  if (code === 'EACCES') return `${what} cannot start: port ${port} needs privileges on this system. Pick a port above 1024: ${retry}`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `${what} cannot start: ${host} is not an address of this machine. Leave --host out to use 127.0.0.1.`;
  return undefined;
}
