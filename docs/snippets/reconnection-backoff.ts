/**
 * How long the Socket.IO client waits before reconnection attempt `attempt`
 * (0 for the first), as its Manager computes it:
 *
 *   base   = reconnectionDelay × 2^attempt
 *   spread = floor(random × randomizationFactor × base)
 *   delay  = min(base ± spread, reconnectionDelayMax)
 *
 * `random` stands for Math.random(): one draw picks both the spread and its sign.
 */
export interface ReconnectionOptions {
  reconnectionDelay: number; // default 1000 ms
  reconnectionDelayMax: number; // default 5000 ms
  randomizationFactor: number; // default 0.5, between 0 and 1
}

export const defaults: ReconnectionOptions = { reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5 };

export function reconnectionDelay(attempt: number, options: ReconnectionOptions = defaults, random = Math.random()): number {
  let delay = options.reconnectionDelay * 2 ** attempt;
  const jitter = options.randomizationFactor > 0 && options.randomizationFactor <= 1 ? options.randomizationFactor : 0;
  if (jitter) {
    const spread = Math.floor(random * jitter * delay);
    delay = (Math.floor(random * 10) & 1) === 0 ? delay - spread : delay + spread;
  }
  return Math.min(delay, options.reconnectionDelayMax) | 0;
}

/** The shortest and longest wait before attempt `attempt`. */
export function reconnectionDelayRange(attempt: number, options: ReconnectionOptions = defaults): [number, number] {
  const base = options.reconnectionDelay * 2 ** attempt;
  const spread = options.randomizationFactor * base;
  return [Math.min(base - spread, options.reconnectionDelayMax), Math.min(base + spread, options.reconnectionDelayMax)];
}

// With the defaults: attempt 0 waits 500–1500 ms, attempt 1 1000–3000 ms,
// attempt 2 2000–5000 ms, attempt 3 and later 4000–5000 ms, then 5000 ms:
// the cap wins once reconnectionDelay × 2^attempt × (1 − factor) ≥ reconnectionDelayMax.
