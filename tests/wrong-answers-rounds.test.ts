/**
 * How the wrong-answer corpus is split into rounds (one scratch layout each): an answer
 * must be graded beside the *solutions* of the exercises it requires, or a wrong
 * ws-frames would fail a ws-echo-server answer for a reason that is not its own.
 */
import { describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { requiredBy, rounds, wrongAnswersOf } from '../tooling/wrong-answers/corpus.ts';

const answers = course.exercises.flatMap((exercise) => wrongAnswersOf(exercise));
const split = rounds(answers);
const named = (round: (typeof split)[number]) => round.map((a) => `${a.exerciseId}/${a.name}`);

describe('rounds of the wrong-answer corpus', () => {
  test('grade every answer exactly once', () => {
    expect(split.flatMap(named).sort()).toEqual(named(answers).sort());
  });

  test('hold at most one answer per exercise', () => {
    for (const round of split) {
      const ids = round.map((a) => a.exerciseId);
      expect(new Set(ids).size, `a round holds two answers of one exercise: ${named(round).join(', ')}`).toBe(ids.length);
    }
  });

  test('never hold an answer of an exercise that another exercise of the round requires', () => {
    expect(requiredBy('ws-echo-server'), 'the manifest says ws-echo-server requires ws-handshake and ws-frames').toEqual(new Set(['ws-handshake', 'ws-frames']));
    for (const round of split) {
      for (const answer of round) {
        const wrongDependencies = round.filter((other) => requiredBy(answer.exerciseId).has(other.exerciseId));
        expect(named(wrongDependencies), `${answer.exerciseId}/${answer.name} would be graded on top of these wrong answers`).toEqual([]);
      }
    }
  });
});
