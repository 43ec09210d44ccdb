/**
 * Type-checking the learner's files with the TypeScript compiler, as `tsc` would
 * with the repository's tsconfig. vitest strips types without checking them, so
 * this is how a type error gets its verdict.
 *
 * Two things keep it fast: results are cached per exercise under `.workbook/cache/`,
 * keyed by the content of every project file the check read, so an unchanged
 * exercise costs nothing; and one language service is kept for the life of the
 * grader, so that in watch mode only the edited file is parsed and checked again.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type ts from 'typescript';
import { ContentCache, isProjectFile } from '../cache/content-cache.ts';
import { fromRoot, repoRoot } from '../course/paths.ts';

/** One type error, located for the learner. */
export interface TypeError {
  /** Path relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

type TypeScript = typeof import('typescript');

export class TypeChecker {
  private service: { ts: TypeScript; languageService: ts.LanguageService; roots: Set<string> } | undefined;
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

    const { ts, languageService, roots } = await this.languageService();
    for (const file of [...stale.values()].flat()) roots.add(file);
    const program = languageService.getProgram();
    if (!program) throw new Error('TypeScript could not build a program');
    const inputs = program
      .getSourceFiles()
      .map((s) => path.resolve(s.fileName))
      .filter(isProjectFile);
    for (const [key, files] of stale) {
      const errors = files.flatMap((file) => {
        const source = program.getSourceFile(file);
        if (!source) return [];
        const diagnostics = [...languageService.getSyntacticDiagnostics(file), ...languageService.getSemanticDiagnostics(file)];
        return diagnostics.map((d) => toTypeError(ts, d, source));
      });
      results.set(key, errors);
      if (this.useCache) this.cache.set(key, inputs, errors);
    }
    return results;
  }

  private async languageService() {
    if (this.service) return this.service;
    // Loading the compiler takes a third of a second: only when something must be checked.
    const { default: ts } = await import('typescript');
    const { config } = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot).options;
    const roots = new Set<string>();
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => [...roots],
      // The file's modification time is its version: an edited file is parsed again, the rest reused.
      getScriptVersion: (file) => String(fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0),
      getScriptSnapshot: (file) => (fs.existsSync(file) ? ts.ScriptSnapshot.fromString(fs.readFileSync(file, 'utf8')) : undefined),
      getCurrentDirectory: () => repoRoot,
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.service = { ts, languageService: ts.createLanguageService(host, ts.createDocumentRegistry()), roots };
    return this.service;
  }
}

function toTypeError(ts: TypeScript, diagnostic: ts.Diagnostic, fallback: ts.SourceFile): TypeError {
  const source = diagnostic.file ?? fallback;
  const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  return {
    file: fromRoot(path.resolve(source.fileName)),
    line: line + 1,
    column: character + 1,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  };
}
