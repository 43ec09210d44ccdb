/**
 * Grading the wrong-answer corpus: every answer must *fail* its check — not crash
 * it, not time out — and the failure must carry the word its `why.json` names, so a
 * check that rejects an answer for an unrelated reason does not count.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { course } from '../../exercises/manifest.ts';
import { repoRoot } from '../course/paths.ts';
import { Grader } from '../grader/grader.ts';
import type { ExerciseResult } from '../grader/results.ts';
import { TYPE_CHECK_TEST } from '../grader/verdict.ts';
import { layOutSolutions, layOverRound, rounds, saysWhy, type WrongAnswer } from './corpus.ts';

export interface Judgement {
  readonly answer: WrongAnswer;
  readonly result: ExerciseResult;
  /** True when the check rejected the answer for the rule it breaks. */
  readonly rejected: boolean;
  /** Why it does not count as rejected; or, when rejected, the test that said so. */
  readonly detail: string;
}

/** Judges one graded answer. */
export function judge(answer: WrongAnswer, result: ExerciseResult): Judgement {
  const verdict = (rejected: boolean, detail: string): Judgement => ({ answer, result, rejected, detail });
  if (result.status === 'pass') return verdict(false, 'passed: the check did not notice');
  if (result.status !== 'fail') return verdict(false, `${result.status} instead of fail: ${result.message.split('\n')[0]}`);
  const failed = result.tests.filter((test) => test.status === 'fail');
  const hung = failed.find((test) => /did not finish within|blocked the event loop/.test(test.message));
  if (hung) return verdict(false, `"${hung.name}" hung instead of failing: ${hung.message.split('\n')[0]}`);
  // A wrong answer that does not compile proves nothing about the check, unless the rule it breaks is a type.
  const typeCheck = failed.find((test) => test.name === TYPE_CHECK_TEST);
  const candidates = typeCheck ? [typeCheck] : failed;
  const evidence = candidates.find((test) => saysWhy(answer.why, `${test.name}\n${test.message}`));
  if (evidence) return verdict(true, evidence.name);
  if (typeCheck) return verdict(false, `it does not compile: ${typeCheck.message.split('\n')[1] ?? typeCheck.message}`);
  // E.g. "Solve ws-frames first": an exercise it requires failed in this lane, so its own check never ran.
  if (failed.length === 0) return verdict(false, `failed before any test of its check: ${result.message.split('\n')[0]}`);
  return verdict(false, `failed, but no failing test says /${answer.why.says}/i; first: ${failed[0]?.name}: ${failed[0]?.message.split('\n')[0]}`);
}

/**
 * Grades `answers`, one round at a time (a round: at most one answer per exercise), in
 * `lanes` scratch folders under `tests/.tmp/` graded side by side. Each lane keeps one
 * grading process for all its rounds: the files change, the process stays warm.
 */
export async function gradeWrongAnswers(
  answers: readonly WrongAnswer[],
  onJudgement?: (judgement: Judgement) => void,
  { lanes = 2 }: { lanes?: number } = {},
): Promise<Judgement[]> {
  const scratch = path.join(repoRoot, 'tests', '.tmp', `wrong-answers-${process.pid}`);
  const all = rounds(answers);
  const judgements: Judgement[] = [];
  const gradeLane = async (laneRounds: readonly WrongAnswer[][], root: string) => {
    layOutSolutions(root);
    const grader = new Grader({ root, isLearnerFolder: false });
    let previous: readonly WrongAnswer[] = [];
    try {
      for (const round of laneRounds) {
        const changed = layOverRound(root, round, previous);
        previous = round;
        const exercises = round.map((answer) => course.exercises.find((e) => e.id === answer.exerciseId)!);
        const results = await grader.grade(exercises, changed);
        for (const [i, answer] of round.entries()) {
          const judgement = judge(answer, results.find((r) => r.id === answer.exerciseId) ?? results[i]!);
          judgements.push(judgement);
          onJudgement?.(judgement);
        }
      }
    } finally {
      await grader.close();
    }
  };
  try {
    const laneCount = Math.max(1, Math.min(lanes, all.length));
    await Promise.all(
      Array.from({ length: laneCount }, (_, lane) =>
        gradeLane(
          all.filter((_, k) => k % laneCount === lane),
          path.join(scratch, `lane-${lane + 1}`),
        ),
      ),
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return judgements;
}
