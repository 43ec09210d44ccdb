/**
 * A failed expectation, told the way a mentor would tell it: what the check did,
 * what it expected, what happened instead, and where to look.
 *
 * Checks throw {@link CheckFailure} (through {@link fail}) instead of letting a bare
 * assertion or timeout reach the learner. The grader prints its message as it is.
 *
 * @module
 */

/** The parts of a learner-facing failure message. */
export interface FailureReport {
  /** What the check did, in the past tense: "Connected 3 clients and sent each 1 KiB of random bytes". */
  readonly did: string;
  /** What it expected to see. */
  readonly expected: string;
  /** What it saw instead. Omit when {@link did} already says it. */
  readonly actual?: string;
  /** The likely cause and where to look. */
  readonly hint?: string;
}

/** An expectation a check could not confirm, with a message written for the learner. */
export class CheckFailure extends Error {
  override readonly name: string = 'CheckFailure';
  readonly report: FailureReport;

  constructor(report: FailureReport) {
    super(formatReport(report));
    this.report = report;
  }
}

/**
 * The learner's file could not be loaded at all (a syntax error, a throw at import).
 * The grader gives one verdict for it instead of repeating it for every test.
 */
export class LoadFailure extends CheckFailure {
  override readonly name: string = 'LoadFailure';
}

/** Formats a report as the lines the learner reads. */
export function formatReport({ did, expected, actual, hint }: FailureReport): string {
  const lines = [did, `  expected: ${expected}`];
  if (actual !== undefined) lines.push(`  actual:   ${actual}`);
  if (hint !== undefined) lines.push(`  hint:     ${hint}`);
  return lines.join('\n');
}

/** Fails the current check with a learner-facing message. */
export function fail(report: FailureReport): never {
  throw new CheckFailure(report);
}

/** Fails with `report` unless `condition` holds. */
export function expectThat(condition: boolean, report: FailureReport): asserts condition {
  if (!condition) fail(report);
}

/** A short, single-line description of any value, for messages: strings quoted, long values cut. */
export function describeValue(value: unknown, maxLength = 120): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'function') text = `a function ${value.name || '(anonymous)'}`;
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (value instanceof Error) text = `${value.name}: ${value.message}`;
  else if (Buffer.isBuffer(value)) text = `<Buffer of ${value.length} bytes>`;
  else {
    try {
      // Maps and Sets print their contents, not `{}`.
      text = JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Map ? Object.fromEntries(inner) : inner instanceof Set ? [...inner] : inner)) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
