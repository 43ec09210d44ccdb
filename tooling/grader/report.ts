/**
 * The grader's words on a terminal: one line per exercise, a progress count, and
 * for the exercise to work on next, what was expected and what happened.
 *
 * @module
 */
import type { CourseSpec, ExerciseSpec } from '../course/define.ts';
import { indent, style } from '../cli/terminal.ts';
import type { ExerciseResult, ExerciseStatus, TestResult } from './results.ts';

const MARK: Record<ExerciseStatus, string> = {
  pass: style.green('✔'),
  fail: style.red('✘'),
  error: style.red('!'),
  'not-started': style.dim('○'),
};

function statusText(result: ExerciseResult): string {
  switch (result.status) {
    case 'pass':
      return style.green(`passed`) + style.dim(`  ${(result.durationMs / 1000).toFixed(1)} s`);
    case 'fail': {
      const passed = result.tests.filter((t) => t.status === 'pass').length;
      return style.red(`failed`) + style.dim(`  ${passed} of ${result.tests.length} checks pass`);
    }
    case 'error':
      return style.red('could not be graded');
    case 'not-started':
      return style.dim('not started');
  }
}

/** One line: mark, number, id, title, status. */
export function resultLine(course: CourseSpec, result: ExerciseResult): string {
  const number = course.exercises.findIndex((e) => e.id === result.id) + 1;
  const idWidth = Math.max(...course.exercises.map((e) => e.id.length));
  const titleWidth = Math.max(...course.exercises.map((e) => e.title.length));
  return `  ${MARK[result.status]} ${String(number).padStart(2)} ${result.id.padEnd(idWidth)}  ${style.dim(result.title.padEnd(titleWidth))}  ${statusText(result)}`;
}

/** The list of results grouped under their parts' titles. */
export function resultList(course: CourseSpec, results: readonly ExerciseResult[]): string {
  const lines: string[] = [];
  for (const part of course.parts) {
    const inPart = results.filter((r) => course.exercises.find((e) => e.id === r.id)?.part === part.id);
    if (inPart.length === 0) continue;
    lines.push('', style.bold(part.title), ...inPart.map((r) => resultLine(course, r)));
  }
  return lines.join('\n');
}

/** `3/16 done` with a bar. */
export function progressLine(done: number, total: number): string {
  const width = 24;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${style.bold(`${done}/${total} done`)}  ${style.green('■'.repeat(filled))}${style.dim('□'.repeat(width - filled))}`;
}

function testLine(test: TestResult, previousMessage: string | undefined): string {
  if (test.status === 'pass') return `  ${style.green('✔')} ${style.dim(test.name)}`;
  if (test.status === 'skip') return `  ${style.dim('- ' + test.name + ' (skipped)')}`;
  // A starter fails every test the same way: say it once.
  if (test.message === previousMessage) return `  ${style.red('✘')} ${test.name} ${style.dim('(same reason as above)')}`;
  return `  ${style.red('✘')} ${test.name}\n${indent(test.message, 6)}`;
}

/** How much of the learner's own console output to show under a failure. */
const OUTPUT_LINES = 12;

/** Every test of one exercise, failures explained. */
export function resultDetails(result: ExerciseResult): string {
  const lines = [`${style.bold(`${result.id}`)} — ${result.title}`];
  if (result.status === 'error' || result.status === 'not-started' || result.tests.length === 0) {
    lines.push(indent(result.message, 2));
  }
  lines.push(...result.tests.map((test, index) => testLine(test, result.tests[index - 1]?.message)));
  if (result.status !== 'pass' && result.output.length > 0) {
    const shown = result.output.slice(-OUTPUT_LINES);
    lines.push('', style.dim(`Your code printed${result.output.length > shown.length ? ` (last ${shown.length} lines)` : ''}:`), indent(shown.join('\n'), 2));
  }
  return lines.join('\n');
}

/** What to do next about an unfinished exercise: the file to open and the hint command. */
export function nextSteps(exercise: ExerciseSpec, result: ExerciseResult, hintsShown: number): string {
  const total = exercise.hints.length;
  const hint =
    hintsShown >= total
      ? `All ${total} hints shown; \`npm run hint -- ${exercise.id}\` shows them again.`
      : `Stuck? \`npm run hint -- ${exercise.id}\` shows hint ${hintsShown + 1} of ${total}.`;
  return [`Open ${style.cyan(result.files[0] ?? exercise.files[0])} — the task is in exercises/${exercise.id}/README.md.`, hint].join('\n');
}
