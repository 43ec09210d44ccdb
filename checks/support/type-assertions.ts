/**
 * Type-level checks: claims about the learner's types ("the client cannot emit an
 * unknown event") written as TypeScript statements, compiled in one program with the
 * repository's compiler settings. A claim that must fail is written under
 * `@ts-expect-error`, so a type that is too loose shows up as an unused directive.
 *
 * The probe file is virtual: it is never written to disk, but it "lives" in
 * `checks/`, so its imports resolve against the repository's `node_modules`, and it
 * imports the graded folder's files by absolute path (`WORKBOOK_TARGET` included).
 *
 * Compiling costs about a second, so results are cached in `.workbook/cache/`, keyed
 * by the content of every project file the compiler read: an unchanged exercise is
 * judged again at no cost.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type ts from 'typescript';
import { ContentCache, isProjectFile } from '../../tooling/cache/content-cache.ts';
import { repoRoot } from '../../tooling/course/paths.ts';

/** One claim about the learner's types. */
export interface TypeClaim {
  /** The claim in words, for messages: "the client cannot emit an unknown event `sya`". */
  readonly claim: string;
  /** TypeScript statements. A claim that must fail is one line. */
  readonly code: string;
  /** Set when the code must NOT compile. */
  readonly mustFail?: boolean;
}

/** What to compile. */
export interface TypeProbe<Findings = undefined> {
  /** A name for the virtual file, e.g. `typed-events` (it becomes `checks/.typed-events.types.ts`). */
  readonly name: string;
  /** Imports and declarations at the top of the probe: use absolute paths for the learner's files. */
  readonly prelude: string;
  readonly claims: readonly TypeClaim[];
  /** Absolute paths of the learner's files: their own type errors are reported too. */
  readonly learnerFiles: readonly string[];
  /**
   * Anything else to learn from the compiled program (e.g. how the learner created a
   * server). It must return plain JSON data: it is cached with the rest.
   */
  readonly inspect?: (compiled: { readonly ts: typeof ts; readonly program: ts.Program }) => Findings;
}

/** A claim TypeScript did not confirm. */
export interface BrokenClaim extends TypeClaim {
  /** What TypeScript said (empty for a `mustFail` claim that compiled). */
  readonly messages: readonly string[];
}

/** The outcome of a probe. */
export interface TypeProbeResult<Findings = undefined> {
  readonly broken: readonly BrokenClaim[];
  /** Type errors in the prelude and in the learner's files: `file:line:column message`. */
  readonly errors: readonly string[];
  /** What {@link TypeProbe.inspect} returned. */
  readonly findings: Findings;
}

/** TypeScript's "Unused '@ts-expect-error' directive." */
const UNUSED_EXPECT_ERROR = 2578;

const cache = new ContentCache<TypeProbeResult<unknown>>('type-probes');

/** Lays the claims out in blocks, so that a diagnostic's line tells which claim it belongs to. */
function layOut(probe: TypeProbe<unknown>) {
  const lines = [...probe.prelude.trim().split('\n'), ''];
  const spans: { claim: TypeClaim; first: number; last: number }[] = [];
  for (const claim of probe.claims) {
    const first = lines.length;
    lines.push('{');
    if (claim.mustFail) lines.push('  // @ts-expect-error');
    lines.push(...claim.code.trim().split('\n').map((line) => `  ${line}`), '}');
    spans.push({ claim, first, last: lines.length - 1 });
  }
  return { text: lines.join('\n'), spans };
}

/** Compiles the probe with the learner's files; reports every claim that does not hold. */
export async function runTypeProbe<Findings = undefined>(probe: TypeProbe<Findings>): Promise<TypeProbeResult<Findings>> {
  const { text: probeText, spans } = layOut(probe as TypeProbe<unknown>);
  const probeFile = path.join(repoRoot, 'checks', `.${probe.name}.types.ts`);
  const learnerFiles = probe.learnerFiles.filter((file) => fs.existsSync(file));
  const key = createHash('sha1').update(JSON.stringify([probeText, learnerFiles, probe.inspect?.toString() ?? ''])).digest('hex');

  const cached = cache.get(key);
  if (cached) return cached as TypeProbeResult<Findings>;

  const { default: ts } = await import('typescript');
  const { config } = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot).options;
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) =>
    path.resolve(file) === probeFile ? ts.createSourceFile(file, probeText, language) : getSourceFile.call(host, file, language, ...rest);
  host.fileExists = (file) => path.resolve(file) === probeFile || fileExists.call(host, file);
  host.readFile = (file) => (path.resolve(file) === probeFile ? probeText : readFile.call(host, file));
  const program = ts.createProgram({ rootNames: [probeFile, ...learnerFiles], options, host });

  const broken = new Map<TypeClaim, string[]>();
  const errors: string[] = [];
  for (const file of [probeFile, ...learnerFiles]) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const span = file === probeFile ? spans.find((s) => line >= s.first && line <= s.last) : undefined;
      if (span) {
        const messages = broken.get(span.claim) ?? [];
        if (diagnostic.code !== UNUSED_EXPECT_ERROR) messages.push(message);
        broken.set(span.claim, messages);
      } else {
        errors.push(`${file === probeFile ? "the check's type probe" : path.relative(repoRoot, file)}:${line + 1}:${character + 1} ${message}`);
      }
    }
  }
  const result: TypeProbeResult<Findings> = {
    broken: [...broken].map(([claim, messages]) => ({ ...claim, messages })),
    errors,
    findings: probe.inspect ? probe.inspect({ ts, program }) : (undefined as Findings),
  };
  const read = program
    .getSourceFiles()
    .map((source) => path.resolve(source.fileName))
    .filter((file) => file !== probeFile && isProjectFile(file));
  cache.set(key, read, result);
  return result;
}
