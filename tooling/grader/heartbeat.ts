/**
 * The heartbeat of the threads that run the learner's code: how the grader tells an
 * event loop that is blocked (an endless loop) from one that is merely slow (a loaded
 * machine, vitest starting up, a check that waits on the network).
 *
 * Each vitest worker thread beats from a timer, every {@link HEARTBEAT_MS}, on a
 * `BroadcastChannel`, naming the check file it runs; the grading process's main thread
 * relays each beat to the grader over IPC. A timer can only fire when the thread's
 * event loop is free, so a check whose beats stop for the grader's bound is stuck in
 * synchronous code, whatever the load. Both the timer and the channel are unref'd:
 * they never keep a thread alive, and the checks' leak detector does not count them.
 *
 * @module
 */
import { BroadcastChannel } from 'node:worker_threads';
const CHANNEL = 'socket-workbook.heartbeat';
/** How often a worker thread beats. */
export const HEARTBEAT_MS = 250;

/** One beat: the check file the thread is running. */
export interface Beat {
  readonly file: string;
}

interface ThreadHeart {
  /** The check file this thread runs now (a thread may run several, one after the other). */
  file: string | undefined;
  readonly channel: BroadcastChannel;
}

// On globalThis: vitest evaluates the setup file afresh for each check file, but one heart per thread is enough.
const HEART = Symbol.for('socket-workbook.heartbeat');

/** In a vitest worker (the checks' setup file): beats from now on, naming `checkFile`, the check file being run. */
export function beatFromThisThread(checkFile: string | undefined): void {
  const holder = globalThis as { [HEART]?: ThreadHeart };
  let heart = holder[HEART];
  if (!heart) {
    const channel = new BroadcastChannel(CHANNEL);
    channel.unref();
    const started: ThreadHeart = { file: undefined, channel };
    setInterval(() => beat(started), HEARTBEAT_MS).unref();
    heart = holder[HEART] = started;
  }
  heart.file = checkFile;
  beat(heart);
}

function beat(heart: ThreadHeart): void {
  if (heart.file) heart.channel.postMessage({ file: heart.file } satisfies Beat);
}

/** In the grading process's main thread: calls `onBeat` for every beat of every worker. */
export function listenToHeartbeats(onBeat: (beat: Beat) => void): void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = (event: unknown) => {
    const file = (event as { data?: Partial<Beat> }).data?.file;
    if (typeof file === 'string') onBeat({ file });
  };
}
