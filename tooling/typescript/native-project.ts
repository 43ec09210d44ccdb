/**
 * TypeScript 7, the native compiler, driven through its API: one `tsc --api` process
 * that keeps its program between checks, so a check after an edit re-reads only the
 * files whose content changed. The grader's type check and the checks' type probes
 * both compile this way (TypeScript 5.9 stays for TypeDoc and `npm run typecheck`).
 *
 * A project is a tsconfig that never touches the disk: it extends the repository's
 * (the learner's compiler settings, unchanged) and lists the files to compile. Other
 * virtual files (a type probe) can be served the same way. Both "live" in the
 * repository, so their imports resolve against its `node_modules`.
 *
 * @module
 */
import path from 'node:path';
import type { Diagnostic, Project } from 'typescript-7/unstable/async';
import { contentHash, isProjectFile } from '../cache/content-cache.ts';
import { repoRoot } from '../course/paths.ts';

type NativeApi = import('typescript-7/unstable/async').API;

/** A diagnostic as a learner reads it: where, and TypeScript's words (chained messages indented, as `tsc` prints them). */
export interface LocatedDiagnostic {
  /** Absolute path. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units (what editors count). */
  readonly column: number;
  readonly code: number;
  readonly message: string;
}

/** TypeScript's "Cannot find module …" codes: an import that may resolve once a file is created. */
const UNRESOLVED_IMPORT = new Set([2307, 2792]);

/** What one compilation gives a caller: the program to ask, and its diagnostics per file. */
export interface Compiled {
  readonly project: Project;
  /** Syntactic and semantic diagnostics of `file`, located. */
  diagnostics(file: string): Promise<LocatedDiagnostic[]>;
  /** Every project file (not a package's) the program read: what a cached result depends on. */
  inputs(): Promise<string[]>;
}

export class NativeProject {
  private api: NativeApi | undefined;
  private opened = false;
  private readonly configFile: string;
  private roots: readonly string[] = [];
  private readonly virtualFiles = new Map<string, string>();
  /** Content hash of every project file a program of this process read, to tell the compiler what changed since. */
  private readonly known = new Map<string, string>();
  private sawUnresolvedImport = false;

  /** @param name - names the virtual tsconfig: `<repo>/.<name>.tsconfig.json`. */
  constructor(name: string) {
    this.configFile = path.join(repoRoot, `.${name}.tsconfig.json`);
  }

  /**
   * Compiles `roots` (absolute paths) with the repository's compiler settings, plus
   * `virtualFiles` (absolute path → text, never written), and hands the result to `use`.
   */
  async compile<T>(roots: readonly string[], virtualFiles: ReadonlyMap<string, string>, use: (compiled: Compiled) => Promise<T>): Promise<T> {
    const api = await this.start();
    const changed = this.changedSince(roots, virtualFiles);
    const snapshot = this.opened
      ? await api.updateSnapshot({ fileChanges: changed === 'everything' ? { invalidateAll: true } : { changed } })
      : await api.updateSnapshot({ openProjects: [this.configFile] });
    this.opened = true;
    try {
      const project = snapshot.getProject(this.configFile);
      if (!project) throw new Error(`TypeScript did not open the project ${this.configFile}`);
      const problems = [...(await project.program.getConfigFileParsingDiagnostics()), ...(await project.program.getProgramDiagnostics())];
      if (problems.length > 0) throw new Error(`TypeScript could not set up the type check: ${problems.map((d) => flatten(d)).join('; ')}`);
      const compiled: Compiled = {
        project,
        diagnostics: async (file) => {
          const found = [...(await project.program.getSyntacticDiagnostics(file)), ...(await project.program.getSemanticDiagnostics(file))];
          if (found.some((d) => UNRESOLVED_IMPORT.has(d.code))) this.sawUnresolvedImport = true;
          const source = found.length > 0 ? await project.program.getSourceFile(file) : undefined;
          return found.map((d) => {
            const { line, character } = source ? source.getLineAndCharacterOfPosition(d.pos) : { line: 0, character: 0 };
            return { file: d.fileName ?? file, line: line + 1, column: character + 1, code: d.code, message: flatten(d) };
          });
        },
        inputs: async () => (await project.program.getSourceFileNames()).map((name) => path.resolve(name)).filter((name) => isProjectFile(name) && !this.virtualFiles.has(name)),
      };
      const result = await use(compiled);
      for (const file of await compiled.inputs()) if (!this.known.has(file)) this.known.set(file, contentHash(file));
      return result;
    } finally {
      await snapshot.dispose();
    }
  }

  /** Stops the compiler process. */
  async close(): Promise<void> {
    const api = this.api;
    this.api = undefined;
    this.opened = false;
    await api?.close().catch(() => {});
  }

  private async start(): Promise<NativeApi> {
    if (this.api) return this.api;
    // Loaded on first use: most commands never compile anything.
    const { API } = await import('typescript-7/unstable/async');
    const serve = (file: string) => {
      const resolved = path.resolve(file);
      if (resolved === this.configFile) return JSON.stringify({ extends: './tsconfig.json', include: [], files: this.roots });
      return this.virtualFiles.get(resolved);
    };
    this.api = new API({
      cwd: repoRoot,
      fs: {
        readFile: (file) => serve(file),
        fileExists: (file) => (serve(file) === undefined ? undefined : true),
      },
    });
    return this.api;
  }

  /** The files to tell the compiler about, by content: what this compilation asks differs from the last, or was edited since. */
  private changedSince(roots: readonly string[], virtualFiles: ReadonlyMap<string, string>): string[] | 'everything' {
    const changed: string[] = [];
    if (roots.join('\n') !== this.roots.join('\n')) changed.push(this.configFile);
    this.roots = [...roots];
    for (const [file, text] of virtualFiles) if (this.virtualFiles.get(file) !== text) changed.push(file);
    for (const file of this.virtualFiles.keys()) if (!virtualFiles.has(file)) changed.push(file);
    this.virtualFiles.clear();
    for (const [file, text] of virtualFiles) this.virtualFiles.set(file, text);
    for (const [file, hash] of this.known) {
      const now = contentHash(file);
      if (now === hash) continue;
      changed.push(file);
      this.known.set(file, now);
    }
    // A file the learner just created may be what a failed import was looking for: look again everywhere.
    if (this.sawUnresolvedImport) {
      this.sawUnresolvedImport = false;
      return 'everything';
    }
    return changed;
  }
}

/** One diagnostic's message with its chain, as TypeScript 5's `flattenDiagnosticMessageText` lays it out. */
function flatten(diagnostic: Diagnostic, depth = 0): string {
  const own = depth === 0 ? diagnostic.text : `\n${'  '.repeat(depth)}${diagnostic.text}`;
  return own + (diagnostic.messageChain ?? []).map((next) => flatten(next, depth + 1)).join('');
}
