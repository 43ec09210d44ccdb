/**
 * A cache of results keyed by file contents: an entry stays valid while every file
 * it was computed from has the same content (and so do the compiler settings and the
 * installed packages). The grader's type check and the checks' type probes keep
 * theirs this way in `.workbook/cache/`, because compiling costs about a second.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { folders, repoRoot } from '../course/paths.ts';

/** Files whose change invalidates every entry: the compiler settings and the installed packages. */
const globalInputs = [path.join(repoRoot, 'tsconfig.json'), path.join(repoRoot, 'package-lock.json')];

interface Entry<T> {
  /** Content hash of each input file. */
  readonly inputs: Record<string, string>;
  readonly value: T;
}

/** The content hash of a file (`missing` when it does not exist). */
export function contentHash(file: string): string {
  try {
    return createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return 'missing';
  }
}

/** Whether `file` is one of the project's own (not a package's). */
export function isProjectFile(file: string): boolean {
  return file.startsWith(repoRoot) && !file.split(path.sep).includes('node_modules');
}

export class ContentCache<T> {
  private readonly file: string;

  /** @param name - the cache file is `.workbook/cache/<name>.json`. */
  constructor(name: string) {
    this.file = path.join(folders.state, 'cache', `${name}.json`);
  }

  /** The value stored under `key`, if none of its inputs changed since. */
  get(key: string): T | undefined {
    const entry = this.read()[key];
    return entry && Object.entries(entry.inputs).every(([file, hash]) => contentHash(file) === hash) ? entry.value : undefined;
  }

  /** Stores `value` under `key`, computed from `inputs` (absolute paths). A cache that cannot be written only costs time. */
  set(key: string, inputs: readonly string[], value: T): void {
    const entry: Entry<T> = { inputs: Object.fromEntries([...inputs, ...globalInputs].map((file) => [file, contentHash(file)])), value };
    try {
      const all = { ...this.read(), [key]: entry };
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      // Write then rename, so that two processes writing at once never leave half a file.
      const temporary = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      fs.writeFileSync(temporary, JSON.stringify(all));
      fs.renameSync(temporary, this.file);
    } catch {
      // Nothing to do: the next run computes the value again.
    }
  }

  private read(): Record<string, Entry<T>> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Entry<T>>) : {};
    } catch {
      return {};
    }
  }
}
