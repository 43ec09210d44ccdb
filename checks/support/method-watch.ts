/**
 * Watching calls of a library method the learner's code makes (`net.Server`'s
 * `emit('connection')`, `socket.io-client`'s `Manager.open`), for tests that may run
 * side by side: one wrapper is installed while any test watches, and each call is
 * told to the watchers of the test whose code made it (see `test-context.ts`), or to
 * every watcher when that cannot be told — a check then sees too much, never too little.
 *
 * @module
 */
import { currentOwner, type Owner } from './test-context.ts';
import type { Workbench } from './workbench.ts';

type Method = (this: object, ...args: never[]) => unknown;
type OnCall = (self: object, args: readonly unknown[]) => void;

interface Watched {
  readonly original: Method;
  readonly watchers: Set<{ readonly owner: Owner; readonly onCall: OnCall }>;
}

const watched = new Map<object, Map<string, Watched>>();

/**
 * Calls `onCall(this, args)` for each call of `prototype[name]` made by the code of
 * `workbench`'s test, until its teardown. The method itself still runs, unchanged.
 */
export function watchMethod(workbench: Workbench, prototype: object, name: string, onCall: OnCall): void {
  const methods = watched.get(prototype) ?? new Map<string, Watched>();
  watched.set(prototype, methods);
  let entry = methods.get(name);
  if (!entry) {
    const original = (prototype as Record<string, Method>)[name]!;
    const watchers: Watched['watchers'] = new Set();
    entry = { original, watchers };
    methods.set(name, entry);
    (prototype as Record<string, Method>)[name] = function (this: object, ...args: never[]) {
      const owner = currentOwner();
      for (const watcher of watchers) if (owner === undefined || owner === watcher.owner) watcher.onCall(this, args);
      return original.apply(this, args);
    };
  }
  const watcher = { owner: workbench, onCall };
  entry.watchers.add(watcher);
  workbench.defer(`the watcher of ${name}()`, () => {
    entry.watchers.delete(watcher);
    if (entry.watchers.size > 0) return;
    (prototype as Record<string, Method>)[name] = entry.original;
    methods.delete(name);
  });
}
