/**
 * Mutation scores: what one Stryker run says about a check, and the committed
 * summary (`checks/mutation-scores.json`, rendered as `checks/MUTATION.md`) that
 * keeps the latest score of every exercise.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MutantResult } from '@stryker-mutator/api/core';
import { course } from '../../exercises/manifest.ts';
import { folders, repoRoot } from '../course/paths.ts';

/** The score every check must reach. */
export const SCORE_GOAL = 90;

export interface ExerciseScore {
  readonly id: string;
  /** Every mutant Stryker made. */
  readonly mutants: number;
  /** Failed by the check (a test failed, or the check timed out). */
  readonly killed: number;
  /** Passed by the check: a wrong program that would be told "passed". */
  readonly survived: number;
  /** Refused by the grader's type check before any test ran. */
  readonly compileErrors: number;
  /** Marked equivalent in the solution (`// Stryker disable … : why`). */
  readonly equivalent: number;
  /** The check's process crashed; Stryker leaves these out of the score. */
  readonly runtimeErrors: number;
  /** killed / (killed + survived), in percent, one decimal. */
  readonly score: number;
  /** When it was measured (YYYY-MM-DD). */
  readonly date: string;
}

export function scoreOf(id: string, results: readonly MutantResult[], date = new Date()): ExerciseScore {
  const count = (...statuses: MutantResult['status'][]) => results.filter((r) => statuses.includes(r.status)).length;
  const killed = count('Killed', 'Timeout');
  const survived = count('Survived', 'NoCoverage');
  return {
    id,
    mutants: results.length,
    killed,
    survived,
    compileErrors: count('CompileError'),
    equivalent: count('Ignored'),
    runtimeErrors: count('RuntimeError'),
    score: killed + survived === 0 ? 100 : Math.floor((1000 * killed) / (killed + survived)) / 10,
    date: date.toISOString().slice(0, 10),
  };
}

/** A surviving mutant, as a maintainer reads it: where, which mutation, what the code became. */
export function describeSurvivor(result: MutantResult): string {
  const file = path.resolve(repoRoot, result.fileName);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const { start, end } = result.location;
  const original =
    start.line === end.line
      ? (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1)
      : `${(lines[start.line - 1] ?? '').slice(start.column - 1)} …`;
  const shorten = (text: string) => (text.length > 70 ? `${text.slice(0, 67)}…` : text).replace(/\s+/g, ' ');
  return `${path.relative(repoRoot, file)}:${start.line}:${start.column}  ${result.mutatorName}: ${shorten(original)}  →  ${shorten(result.replacement ?? '')}`;
}

const summaryJson = path.join(folders.checks, 'mutation-scores.json');
const summaryMarkdown = path.join(folders.checks, 'MUTATION.md');

export function readSummary(): ExerciseScore[] {
  if (!fs.existsSync(summaryJson)) return [];
  return JSON.parse(fs.readFileSync(summaryJson, 'utf8')) as ExerciseScore[];
}

/** Records `scores` in the committed summary (JSON and Markdown), in course order. */
export function recordScores(scores: readonly ExerciseScore[]): void {
  const byId = new Map(readSummary().map((score) => [score.id, score]));
  for (const score of scores) byId.set(score.id, score);
  const ordered = course.exercises.flatMap((exercise) => byId.get(exercise.id) ?? []);
  fs.writeFileSync(summaryJson, `${JSON.stringify(ordered, null, 2)}\n`);
  fs.writeFileSync(summaryMarkdown, renderSummary(ordered));
}

export function scoreTable(scores: readonly ExerciseScore[]): string[] {
  const header = ['exercise', 'mutants', 'killed', 'survived', 'type errors', 'equivalent', 'crashed', 'score', 'measured'];
  const rows = scores.map((s) => [s.id, s.mutants, s.killed, s.survived, s.compileErrors, s.equivalent, s.runtimeErrors, `${s.score.toFixed(1)}%`, s.date].map(String));
  return [header, ...rows].map((cells) => `| ${cells.join(' | ')} |`).toSpliced(1, 0, `|${header.map(() => ' --- |').join('')}`);
}

function renderSummary(scores: readonly ExerciseScore[]): string {
  const missing = course.exercises.filter((exercise) => !scores.some((s) => s.id === exercise.id)).map((e) => e.id);
  return [
    '# Mutation scores',
    '',
    'How much of each reference solution\'s behaviour its check pins down: StrykerJS mutates',
    '`solutions/<id>/` (one small change per mutant) and runs the exercise\'s check against each',
    'mutant. **Killed**: the check failed it. **Survived**: the check passed a wrong program.',
    '**Type errors**: the grader\'s type check refuses it before any test runs. **Equivalent**: marked',
    'in the solution with `// Stryker disable next-line <Mutator>: <why>` because no learner-visible',
    `behaviour changes. Score = killed / (killed + survived); the goal is **≥ ${SCORE_GOAL}%** for every exercise.`,
    '',
    'Written by `npm run mutate` (see the README\'s maintainer section); reports in `reports/mutation/`.',
    '',
    ...scoreTable(scores),
    ...(missing.length > 0 ? ['', `Not measured yet: ${missing.join(', ')}.`] : []),
    '',
  ].join('\n');
}
