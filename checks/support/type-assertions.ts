/**
 * Type-level checks: claims about the learner's types ("the client cannot emit an
 * unknown event") written as TypeScript statements, compiled in one program with the
 * repository's compiler settings by TypeScript 7. A claim that must fail is written under
 * `@ts-expect-error`, so a type that is too loose shows up as an unused directive.
 *
 * The probe file is virtual: it is never written to disk, but it "lives" in
 * `checks/`, so its imports resolve against the repository's `node_modules`, and it
 * imports the graded folder's files by absolute path (`WORKBOOK_TARGET` included).
 *
 * Compiling costs a few hundred milliseconds, so results are cached in `.workbook/cache/`, keyed
 * by the content of every project file the compiler read: an unchanged exercise is
 * judged again at no cost.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Checker, Program } from 'typescript-7/unstable/async';
import { ContentCache } from '../../tooling/cache/content-cache.ts';
import { repoRoot } from '../../tooling/course/paths.ts';
import { NativeProject } from '../../tooling/typescript/native-project.ts';

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
   * server), through TypeScript 7's API. It must return plain JSON data: it is cached with the rest.
   */
  readonly inspect?: (compiled: { readonly program: Program; readonly checker: Checker; readonly ast: typeof import('typescript-7/unstable/ast') }) => Promise<Findings>;
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

  // A compiler process of its own, in its own process: this thread's event loop stays free meanwhile.
  const compiler = new NativeProject(`type-probe-${probe.name}`);
  try {
    return await compiler.compile([probeFile, ...learnerFiles], new Map([[probeFile, probeText]]), async (compiled) => {
      const broken = new Map<TypeClaim, string[]>();
      const errors: string[] = [];
      for (const file of [probeFile, ...learnerFiles]) {
        for (const diagnostic of await compiled.diagnostics(file)) {
          const span = file === probeFile ? spans.find((s) => diagnostic.line - 1 >= s.first && diagnostic.line - 1 <= s.last) : undefined;
          if (span) {
            const messages = broken.get(span.claim) ?? [];
            if (diagnostic.code !== UNUSED_EXPECT_ERROR) messages.push(diagnostic.message);
            broken.set(span.claim, messages);
          } else {
            errors.push(`${file === probeFile ? "the check's type probe" : path.relative(repoRoot, file)}:${diagnostic.line}:${diagnostic.column} ${diagnostic.message}`);
          }
        }
      }
      const { program, checker } = compiled.project;
      const result: TypeProbeResult<Findings> = {
        broken: [...broken].map(([claim, messages]) => ({ ...claim, messages })),
        errors,
        findings: probe.inspect ? await probe.inspect({ program, checker, ast: await import('typescript-7/unstable/ast') }) : (undefined as Findings),
      };
      cache.set(key, await compiled.inputs(), result);
      return result;
    });
  } finally {
    await compiler.close();
  }
}
