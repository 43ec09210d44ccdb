/**
 * Types that several exercises share. You read this file; you never need to edit it.
 *
 * @module
 */

/**
 * Where a server should listen. Every `start…(options)` function of the workbook
 * listens on `options.port` **and** `options.host` (never every interface), resolves
 * once it listens, and **rejects** with the listen error if it cannot — for example
 * `EADDRINUSE` when the port is taken — instead of waiting forever.
 */
export interface ListenOptions {
  /** The TCP port. `0` asks the operating system for any free port: the checks pass `0` (and once a taken port). */
  readonly port: number;
  /**
   * The address to bind. The checks pass a loopback address (`127.0.0.1`, or `127.0.0.2`
   * to see that you use it), so nothing is reachable from the network.
   */
  readonly host: string;
}

/** A server that has started listening, as every server exercise returns it. */
export interface RunningServer {
  /** The port the server really listens on (not `0`: ask the server with `server.address()`). */
  readonly port: number;
  /**
   * Stops the server for good: refuses new connections, closes the open ones, and
   * resolves once every socket and timer the server made is released.
   */
  close(): Promise<void>;
}
