/**
 * How the wrong-answer corpus is split into rounds (one scratch layout each): an answer
 * must be graded beside the *solutions* of the exercises its own imports, or a wrong
 * ws-frames would fail a ws-echo-server answer for a reason that is not its own.
 */
import { describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { rounds, wrongAnswersOf } from '../tooling/wrong-answers/corpus.ts';

const answers = course.exercises.flatMap((exercise) => wrongAnswersOf(exercise));
const split = rounds(answers);
const shown = (round: (typeof split)[number]) => round.map((a) => `${a.exerciseId}/${a.name}`).join(', ');

describe('rounds of the wrong-answer corpus', () => {
  test('grade every answer exactly once', () => {
    const graded = split.flat().map((a) => `${a.exerciseId}/${a.name}`);
    expect(graded.sort()).toEqual(answers.map((a) => `${a.exerciseId}/${a.name}`).sort());
  });

  test('hold at most one answer per exercise', () => {
    for (const round of split) {
      const ids = round.map((a) => a.exerciseId);
      expect(new Set(ids).size, `a round holds two answers of one exercise: ${shown(round)}`).toBe(ids.length);
    }
  });

  test('never lay an answer over an exercise that another answer of the round imports', () => {
    // ws-echo-server imports ws-handshake and ws-frames (see solutions/ws-echo-server/server.ts).
    for (const round of split) {
      const ids = new Set(round.map((a) => a.exerciseId));
      const clash = ids.has('ws-echo-server') && (ids.has('ws-frames') || ids.has('ws-handshake'));
      expect(clash, `ws-echo-server's answer would import a wrong answer of its dependencies: ${shown(round)}`).toBe(false);
    }
  });
});
