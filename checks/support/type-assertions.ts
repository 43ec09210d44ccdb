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
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type ts from 'typescript';
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
export interface TypeProbe {
  /** A name for the virtual file, e.g. `typed-events` (it becomes `checks/.typed-events.types.ts`). */
  readonly name: string;
  /** Imports and declarations at the top of the probe: use absolute paths for the learner's files. */
  readonly prelude: string;
  readonly claims: readonly TypeClaim[];
  /** Absolute paths of the learner's files: their own type errors are reported too. */
  readonly learnerFiles: readonly string[];
}

/** A claim TypeScript did not confirm. */
export interface BrokenClaim extends TypeClaim {
  /** What TypeScript said (empty for a `mustFail` claim that compiled). */
  readonly messages: readonly string[];
}

/** The outcome of a probe. */
export interface TypeProbeResult {
  readonly broken: readonly BrokenClaim[];
  /** Type errors in the prelude and in the learner's files: `file:line:column message`. */
  readonly errors: readonly string[];
  /** The compiled program and the compiler, for checks that inspect the learner's code further. */
  readonly program: ts.Program;
  readonly ts: typeof ts;
}

/** TypeScript's "Unused '@ts-expect-error' directive." */
const UNUSED_EXPECT_ERROR = 2578;

/** Compiles the probe with the learner's files; reports every claim that does not hold. */
export async function runTypeProbe(probe: TypeProbe): Promise<TypeProbeResult> {
  const { default: ts } = await import('typescript');
  const { config } = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot).options;

  // Each claim gets its own block, so a diagnostic's line tells which claim it belongs to.
  const lines = [...probe.prelude.trim().split('\n'), ''];
  const spans: { claim: TypeClaim; first: number; last: number }[] = [];
  for (const claim of probe.claims) {
    const first = lines.length;
    lines.push('{');
    if (claim.mustFail) lines.push('  // @ts-expect-error');
    lines.push(...claim.code.trim().split('\n').map((line) => `  ${line}`), '}');
    spans.push({ claim, first, last: lines.length - 1 });
  }
  const probeFile = path.join(repoRoot, 'checks', `.${probe.name}.types.ts`);
  const probeText = lines.join('\n');

  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) =>
    path.resolve(file) === probeFile ? ts.createSourceFile(file, probeText, language) : getSourceFile.call(host, file, language, ...rest);
  host.fileExists = (file) => path.resolve(file) === probeFile || fileExists.call(host, file);
  host.readFile = (file) => (path.resolve(file) === probeFile ? probeText : readFile.call(host, file));

  const learnerFiles = probe.learnerFiles.filter((file) => fs.existsSync(file));
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
        errors.push(`${file === probeFile ? 'the check\'s type probe' : path.relative(repoRoot, file)}:${line + 1}:${character + 1} ${message}`);
      }
    }
  }
  return { broken: [...broken].map(([claim, messages]) => ({ ...claim, messages })), errors, program, ts };
}
