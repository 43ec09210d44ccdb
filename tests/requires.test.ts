/**
 * An exercise that imports earlier ones (the manifest's `requires`) is graded with them:
 * while one of them fails, the verdict says "solve … first" instead of failures that
 * come from the imported code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { folders, repoRoot } from '../tooling/course/paths.ts';
import { Grader } from '../tooling/grader/grader.ts';

const scratch = path.join(repoRoot, 'tests', '.tmp', `requires-${process.pid}`);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('ws-echo-server with an unsolved ws-frames says "solve ws-frames first"', async () => {
  fs.cpSync(folders.solutions, scratch, { recursive: true });
  fs.copyFileSync(path.join(folders.exercises, 'types.ts'), path.join(scratch, 'types.ts'));
  // The starter of ws-frames: it compiles, and every function throws "not written yet".
  fs.copyFileSync(path.join(folders.exercises, 'ws-frames', 'frames.ts'), path.join(scratch, 'ws-frames', 'frames.ts'));
  const echoServer = course.exercises.find((e) => e.id === 'ws-echo-server')!;
  const grader = new Grader({ root: scratch, isLearnerFolder: false });
  try {
    const results = await grader.grade([echoServer]);
    expect(results.map((r) => r.id), 'only what was asked for is reported').toEqual(['ws-echo-server']);
    expect(results[0]!.status).toBe('fail');
    expect(results[0]!.message).toMatch(/^Solve ws-frames first: ws-echo-server uses your exercises\/ws-frames\/frames\.ts.*npm run check -- ws-frames/s);
    expect(results[0]!.message, 'a solved requirement is not named').not.toMatch(/ws-handshake/);
  } finally {
    await grader.close();
  }
});
