/**
 * Which test made what. A check's tests may run at the same time in one thread
 * (`describe.concurrent`), so the errors that escape, the resources left alive and
 * the connections a server accepts must each be traced back to the test — its
 * {@link Owner} — whose code made them.
 *
 * `AsyncLocalStorage` follows a test's own awaits and callbacks, but Node does not
 * carry it into a server's `connection` callbacks (the accepted socket starts with
 * no store). So every async resource also records the owner of the resource that
 * triggered it: an accepted socket inherits its server's owner, a timer set in a
 * `data` handler that socket's.
 *
 * @module
 */
import { AsyncLocalStorage, createHook, executionAsyncId } from 'node:async_hooks';

/** What a test's resources are traced back to: its workbench. */
export type Owner = object;

const running = new AsyncLocalStorage<Owner>();
const owners = new Map<number, Owner>();

/** The owner of a resource being created now, triggered by `triggerAsyncId`. */
export function ownerAtInit(triggerAsyncId: number): Owner | undefined {
  return running.getStore() ?? owners.get(triggerAsyncId) ?? owners.get(executionAsyncId());
}

createHook({
  init(asyncId, _type, triggerAsyncId) {
    const owner = ownerAtInit(triggerAsyncId);
    if (owner) owners.set(asyncId, owner);
  },
  destroy(asyncId) {
    owners.delete(asyncId);
  },
}).enable();

/** The test whose code is running now, if it can be told. */
export function currentOwner(): Owner | undefined {
  return running.getStore() ?? owners.get(executionAsyncId());
}

/** Runs `body` as `owner`'s: everything it starts, directly or through callbacks, is traced back to it. */
export function runAs<T>(owner: Owner, body: () => T): T {
  return running.run(owner, body);
}
