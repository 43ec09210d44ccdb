/**
 * The grader on a machine that is busy with something else: the reference solutions,
 * graded cold (no `.workbook/cache`, no tsx cache: the first grading after install)
 * beside busy loops, two per core, get no `error` verdict — a slow machine is never
 * called an endless loop — and a real endless loop is still caught within the bound.
 *
 * It runs after every other maintainer test (see `vitest.config.ts`), so the load it
 * makes slows no one else's test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { repoRoot } from '../tooling/course/paths.ts';
import { Grader, solutionsTarget } from '../tooling/grader/grader.ts';
import { STALL_LIMIT_MS } from '../tooling/grader/grading-session.ts';
import { startCpuHogs, type CpuHogs } from '../tooling/load/cpu-hogs.ts';
import { brokenAndCorrect, layOutBrokenLearner } from './support/broken-learner-folder.ts';

const scratch = path.join(repoRoot, 'tests', '.tmp', `under-load-${process.pid}`);
const hogCount = 2 * os.availableParallelism();
let hogs: CpuHogs | undefined;

beforeAll(() => {
  // The grading processes inherit this environment: a state folder of their own (no caches), no tsx cache.
  fs.mkdirSync(path.join(scratch, 'state'), { recursive: true });
  process.env.WORKBOOK_STATE = path.join(scratch, 'state');
  process.env.TSX_DISABLE_CACHE = '1';
  hogs = startCpuHogs(hogCount);
});

afterAll(async () => {
  await hogs?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe(`beside ${hogCount} busy loops`, () => {
  test('the reference solutions, graded cold, get no error verdict', async () => {
    const grader = new Grader(solutionsTarget, { typeCheckCache: false });
    try {
      const results = await grader.grade(course.exercises);
      expect(results.map((r) => r.id)).toEqual(course.exercises.map((e) => e.id));
      const errors = results.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.message}`);
      expect(errors, 'a correct program must never get an error verdict, however slow the machine').toEqual([]);
    } finally {
      await grader.close();
    }
  }, 600_000);

  test('an endless loop is still caught within the bound', async () => {
    const grader = new Grader({ root: layOutBrokenLearner(scratch, 'infinite-loop'), isLearnerFolder: false }, { typeCheckCache: false });
    const started = Date.now();
    try {
      const [looping, correct] = await grader.grade(brokenAndCorrect);
      expect(looping!.status, looping!.message).toBe('error');
      expect(looping!.message).toMatch(/blocked the event loop/);
      // The same generous bound as without load: the limit is enforced from outside, whatever the load.
      expect(Date.now() - started, 'the verdict must arrive within the hard limit').toBeLessThan(STALL_LIMIT_MS + 30_000);
      expect(correct!.status, `hello-socketio must still be graded: ${correct!.message}`).toBe('pass');
    } finally {
      await grader.close();
    }
  }, 300_000);
});
