/**
 * Edits the benchmark makes to files it does not own (the learner's exercise, the
 * reference solutions), always put back: when it is done, when it fails, and on Ctrl-C.
 *
 * @module
 */
import fs from 'node:fs';

export class TemporaryEdits {
  private readonly originals = new Map<string, Buffer>();

  constructor() {
    // 'exit' also follows an uncaught error; signals get their usual exit codes.
    process.once('exit', () => this.restore());
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      process.once(signal, () => {
        this.restore();
        process.exit(code);
      });
    }
  }

  /** Writes `content` to `file`, remembering what was there first. */
  write(file: string, content: string | Buffer): void {
    if (!this.originals.has(file)) this.originals.set(file, fs.readFileSync(file));
    fs.writeFileSync(file, content);
  }

  /** What `file` held before the first edit. */
  original(file: string): Buffer {
    return this.originals.get(file) ?? fs.readFileSync(file);
  }

  /** Puts every edited file back as it was. */
  restore(): void {
    for (const [file, content] of this.originals) fs.writeFileSync(file, content);
    this.originals.clear();
  }
}
