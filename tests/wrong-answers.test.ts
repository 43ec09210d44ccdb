/**
 * The wrong-answer corpus (`tests/wrong-answers/`): every believable almost-right
 * program must fail its check — a `fail` verdict, not an `error` or a timeout — and
 * the failure must name the rule it breaks. Every exercise has at least eight.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { wrongAnswersOf } from '../tooling/wrong-answers/corpus.ts';
import { gradeWrongAnswers, type Judgement } from '../tooling/wrong-answers/judge.ts';

const MIN_ANSWERS = 8;
const corpus = course.exercises.flatMap((exercise) => wrongAnswersOf(exercise));
// An answer marked `open` is a known hole, tracked in an issue: listed, not graded (see tests/wrong-answers/README.md).
const answers = corpus.filter((a) => !a.why.open);
const open = corpus.filter((a) => a.why.open);
const judgements = new Map<string, Judgement>();
const key = (exerciseId: string, name: string) => `${exerciseId}/${name}`;

// Checks mostly wait on sockets and timers: several grading processes side by side keep the cores busy.
const LANES = Number(process.env.WORKBOOK_CORPUS_LANES ?? 4);

beforeAll(async () => {
  for (const judgement of await gradeWrongAnswers(answers, undefined, { lanes: LANES })) judgements.set(key(judgement.answer.exerciseId, judgement.answer.name), judgement);
}, 1_500_000);

describe('the wrong-answer corpus', () => {
  test.each(course.exercises.map((e) => e.id))(`%s has at least ${MIN_ANSWERS} wrong answers`, (id) => {
    const own = corpus.filter((a) => a.exerciseId === id);
    expect(own.length, `tests/wrong-answers/${id}/ has ${own.length}; write ${MIN_ANSWERS - own.length} more, one README rule each`).toBeGreaterThanOrEqual(MIN_ANSWERS);
  });

  test.each(answers.map((a) => [key(a.exerciseId, a.name), a.why.rule] as const))('%s [%s] is rejected for its rule', (name) => {
    const judgement = judgements.get(name)!;
    expect(judgement.rejected, `${name}: ${judgement.detail}\n${judgement.answer.why.why}`).toBe(true);
  });

  for (const a of open) test.todo(`${key(a.exerciseId, a.name)} [${a.why.rule}] is a known hole: ${a.why.open}`);
});
