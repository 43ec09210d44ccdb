/**
 * Leak detection: the servers, sockets and timers created since a tracker started
 * that are still alive. It follows resources with `async_hooks`, which Node keeps
 * per thread, so a check sees only what its own file created; and of those, only
 * what its own test made, so that tests run side by side do not report each other's
 * sockets (nor vitest's timer for the next test).
 *
 * @module
 */
import { createHook } from 'node:async_hooks';
import { ownerAtInit, type Owner } from './test-context.ts';

/** The resource kinds a networking exercise can leak, by their `async_hooks` type. */
const WATCHED: Readonly<Record<string, string>> = {
  TCPSERVERWRAP: 'listening server',
  TCPWRAP: 'open TCP socket',
  Timeout: 'timer (setTimeout/setInterval)',
  Immediate: 'setImmediate callback',
};

/** Records every watched resource created after {@link ResourceTracker.start}, until it is destroyed. */
export class ResourceTracker {
  /** @param owner - the test whose resources count (see `test-context.ts`); without one, every resource does. */
  constructor(private readonly owner?: Owner) {}

  private readonly live = new Map<number, { type: string; resource: object }>();
  /** Set for the instant the tracker arms its own polling timer, so that it is not counted. */
  private armingOwnTimer = false;
  private readonly hook = createHook({
    init: (asyncId, type, triggerAsyncId, resource) => {
      if (!(type in WATCHED) || this.armingOwnTimer) return;
      if (this.owner === undefined || ownerAtInit(triggerAsyncId) === this.owner) this.live.set(asyncId, { type, resource });
    },
    destroy: (asyncId) => {
      this.live.delete(asyncId);
    },
  });

  start(): this {
    this.hook.enable();
    return this;
  }

  stop(): void {
    this.hook.disable();
  }

  /**
   * The live resources that keep the process running. Unref'd timers are left out:
   * they hold nothing up (Node's HTTP server keeps one for a second to cache the Date header).
   */
  private holdingProcess(): { type: string }[] {
    return [...this.live.values()].filter(({ resource }) => {
      const hasRef = (resource as { hasRef?: () => boolean }).hasRef;
      return typeof hasRef !== 'function' || hasRef.call(resource);
    });
  }

  /** What is still alive, e.g. `["1 × listening server", "2 × timer (setTimeout/setInterval)"]`. */
  leaks(): string[] {
    const counts = new Map<string, number>();
    for (const { type } of this.holdingProcess()) counts.set(type, (counts.get(type) ?? 0) + 1);
    return [...counts].map(([type, count]) => `${count} × ${WATCHED[type]}`);
  }

  /** Waits up to `ms` for everything to be released; returns what is still alive. */
  async settledLeaks(ms: number): Promise<string[]> {
    const deadline = Date.now() + ms;
    while (this.holdingProcess().length > 0 && Date.now() < deadline) {
      this.armingOwnTimer = true;
      const pause = new Promise((resolve) => setTimeout(resolve, 5));
      this.armingOwnTimer = false;
      await pause;
    }
    return this.leaks();
  }
}
