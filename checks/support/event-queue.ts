/**
 * A buffered queue of received events. Listeners are attached before anything is
 * sent, and every arrival is kept, so two messages that arrive in the same tick are
 * never lost to a late `once()`.
 *
 * @module
 */
import { describeValue, fail, type FailureReport } from './check-failure.ts';
import { formatMs, within } from './wait.ts';

/** One received event: its name and its arguments. */
export interface ReceivedEvent {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** What to say if an awaited event does not arrive. */
export interface Expectation {
  /** Who is waiting, e.g. `client B`. */
  readonly who: string;
  /** How long to wait. */
  readonly withinMs: number;
  /** The likely cause. */
  readonly hint?: string;
}

export class EventQueue {
  private readonly arrived: ReceivedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  /** Records an event. */
  push(name: string, args: readonly unknown[]): void {
    this.arrived.push({ name, args });
    for (const wake of this.waiters) wake();
  }

  /** Every event received so far, in order (taken ones excluded). */
  get pending(): readonly ReceivedEvent[] {
    return this.arrived;
  }

  /** Removes and returns the first received event called `name`, waiting for it if needed. */
  async next(name: string, expectation: Expectation): Promise<readonly unknown[]> {
    const taken = this.take(name);
    if (taken) return taken.args;
    let wake: (() => void) | undefined;
    const arrival = new Promise<readonly unknown[]>((resolve) => {
      wake = () => {
        const event = this.take(name);
        if (!event) return;
        // Stop waking now: a second event of the same name in this tick belongs to the next reader.
        this.waiters.delete(wake!);
        resolve(event.args);
      };
      this.waiters.add(wake);
    });
    try {
      return await within(arrival, expectation.withinMs, () => this.missing(name, expectation));
    } finally {
      if (wake) this.waiters.delete(wake);
    }
  }

  /** Fails if an event called `name` arrives (or has arrived) within `ms`. */
  async expectNone(name: string, ms: number, report: (args: readonly unknown[]) => FailureReport): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const event = this.arrived.find((e) => e.name === name);
      if (event) fail(report(event.args));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const event = this.arrived.find((e) => e.name === name);
    if (event) fail(report(event.args));
  }

  private take(name: string): ReceivedEvent | undefined {
    const index = this.arrived.findIndex((e) => e.name === name);
    return index === -1 ? undefined : this.arrived.splice(index, 1)[0];
  }

  private missing(name: string, { who, withinMs, hint }: Expectation): FailureReport {
    const others = this.arrived.map((e) => `\`${e.name}\` ${describeValue(e.args, 60)}`);
    return {
      did: `${who} waited ${formatMs(withinMs)} for the event \`${name}\``,
      expected: `an event \`${name}\``,
      actual: others.length === 0 ? 'no event arrived at all' : `none; it received only ${others.join(', ')}`,
      ...(hint === undefined ? {} : { hint }),
    };
  }
}
