/**
 * Busy loops in child processes, to load the machine: the maintainer test that grades
 * beside them, and `npm run bench`'s "under load" figure. Each hog also ends by itself
 * when its parent is gone or after {@link HOG_LIFETIME_MS}, so none outlives a crashed run.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';

const HOG_LIFETIME_MS = 15 * 60_000;

const hogSource = `
const parent = process.ppid;
const end = Date.now() + ${HOG_LIFETIME_MS};
const parentAlive = () => { try { process.kill(parent, 0); return process.ppid === parent; } catch { return false; } };
for (let i = 1; ; i++) if ((i & 0x3ffffff) === 0 && (Date.now() > end || !parentAlive())) process.exit(0);
`;

export interface CpuHogs {
  readonly count: number;
  /** Stops every hog and waits until they are gone. */
  stop(): Promise<void>;
}

/** Starts `count` processes that each keep one core busy. */
export function startCpuHogs(count: number): CpuHogs {
  const hogs: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', hogSource], { stdio: 'ignore' }));
  return {
    count,
    stop: async () => {
      await Promise.all(
        hogs.map(
          (hog) =>
            new Promise<void>((resolve) => {
              if (hog.exitCode !== null || hog.signalCode !== null) return resolve();
              hog.once('exit', () => resolve());
              hog.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
