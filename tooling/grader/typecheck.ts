/**
 * Type-checking the learner's files with TypeScript 7 (the native compiler), as `tsc`
 * would with the repository's tsconfig. vitest strips types without checking them, so
 * this is how a type error gets its verdict.
 *
 * Two things keep it fast: results are cached per exercise under `.workbook/cache/`,
 * keyed by the content of every project file the check read, so an unchanged
 * exercise costs nothing; and one compiler process is kept for the life of the
 * grader, so that in watch mode only the edited file is parsed and checked again.
 * The compiler runs in its own process: the grader's event loop stays free to watch
 * the checks meanwhile.
 *
 * @module
 */
import fs from 'node:fs';
import { ContentCache } from '../cache/content-cache.ts';
import { fromRoot } from '../course/paths.ts';
import { NativeProject } from '../typescript/native-project.ts';

/** One type error, located for the learner. */
export interface TypeError {
  /** Path relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export class TypeChecker {
  private readonly compiler = new NativeProject('grader-typecheck');
  private readonly cache = new ContentCache<TypeError[]>('typecheck');

  /** @param useCache - read and write `.workbook/cache/typecheck.json` (off in the maintainer tests). */
  constructor(private readonly useCache = true) {}

  /**
   * Type-checks groups of files: each group is an exercise (under a cache key) and the
   * files the learner edits. Errors are reported only in those files.
   */
  async check(groups: ReadonlyMap<string, readonly string[]>): Promise<Map<string, TypeError[]>> {
    const results = new Map<string, TypeError[]>();
    const stale = new Map<string, readonly string[]>();
    for (const [key, files] of groups) {
      const cached = this.useCache ? this.cache.get(key) : undefined;
      if (cached) results.set(key, cached);
      else stale.set(key, files);
    }
    if (stale.size === 0) return results;

    const roots = [...stale.values()].flat().filter((file) => fs.existsSync(file));
    try {
      await this.compileInto(results, stale, roots);
    } catch {
      // The compiler process died or lost track: once more, with a fresh one.
      await this.compiler.close();
      await this.compileInto(results, stale, roots);
    }
    return results;
  }

  /** Stops the compiler process. */
  close(): Promise<void> {
    return this.compiler.close();
  }

  private async compileInto(results: Map<string, TypeError[]>, stale: ReadonlyMap<string, readonly string[]>, roots: readonly string[]): Promise<void> {
    await this.compiler.compile(roots, new Map(), async (compiled) => {
      const inputs = await compiled.inputs();
      for (const [key, files] of stale) {
        const errors = (await Promise.all(files.filter((file) => roots.includes(file)).map((file) => compiled.diagnostics(file)))).flat();
        const located = errors.map(({ file, line, column, message }) => ({ file: fromRoot(file), line, column, message }));
        results.set(key, located);
        if (this.useCache) this.cache.set(key, inputs, located);
      }
    });
  }
}
