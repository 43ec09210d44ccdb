/**
 * Raw HTTP, for checks where the learner writes the response text by hand: a
 * check that every line of a head ends with CRLF, and a stand-in socket that
 * records what a function wrote and whether it ended it.
 *
 * @module
 */
import { Duplex } from 'node:stream';
import { fail } from './check-failure.ts';

/**
 * Fails unless every line of the head (the first `headLength` bytes of `bytes`,
 * empty line included) ends with `\r\n` — a bare `\n` or `\r` anywhere fails — and
 * every header line is `Name: value`.
 */
export function expectWellFormedHead(bytes: Buffer, headLength: number, did: string): void {
  const head = bytes.subarray(0, headLength).toString('latin1');
  const bare = /\r(?!\n)|(?<!\r)\n/.exec(head);
  if (bare) {
    fail({
      did,
      expected: 'every line of the response head to end with "\\r\\n" (CR LF), the empty line too',
      actual: `line ${head.slice(0, bare.index).split('\n').length} ends with a bare ${bare[0] === '\n' ? '"\\n" (LF, no CR before it)' : '"\\r" (CR, no LF after it)'}: ${JSON.stringify(head.slice(0, 160))}`,
      hint: 'HTTP lines end with "\\r\\n", not "\\n": write `HTTP/1.1 101 Switching Protocols\\r\\n` … and finish the head with an empty line, "\\r\\n".',
    });
  }
  // Between the status line and the empty line: `Name: value` lines, the name a token (no spaces).
  const broken = head.split('\r\n').slice(1, -2).find((line) => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(line));
  if (broken !== undefined) {
    fail({
      did,
      expected: 'every header line of the response to be `Name: value`, the name without spaces',
      actual: `the line ${JSON.stringify(broken)}`,
      hint: 'Write each header as `Name: value\\r\\n`, one to a line, and nothing else between the status line and the empty line.',
    });
  }
}

/** A socket stand-in for calling a function that takes a `Duplex`: it keeps what was written, and notes `end()` and `destroy()`. */
export class RecordingSocket extends Duplex {
  private readonly chunks: Buffer[] = [];
  /** Whether `end()` was called (the writable side finished). */
  endedByCaller = false;

  constructor() {
    super({
      read() {},
      write: (chunk: Buffer, _encoding, callback) => {
        this.chunks.push(Buffer.from(chunk));
        callback();
      },
      final: (callback) => {
        this.endedByCaller = true;
        callback();
      },
    });
    this.on('error', () => {});
  }

  /** Everything written so far. */
  get written(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Whether the caller ended or destroyed it. */
  get closedByCaller(): boolean {
    return this.endedByCaller || this.destroyed;
  }
}
