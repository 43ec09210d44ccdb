// A vitest worker thread started ahead of need (see standby-threads.ts): it loads the
// workbook's libraries while no check waits, then becomes vitest's ordinary worker.
import { workerData } from 'node:worker_threads';

// A library that fails to load here fails again, with a message, where a check imports it.
await Promise.all(workerData.preload.map((name) => import(name).catch(() => {})));
await import(workerData.entrypoint);
