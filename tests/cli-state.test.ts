/**
 * The learner's state, through the commands: a state folder or progress file that
 * cannot be written never costs a verdict or a hint, only the remembering, said in
 * one line; progress values that make no sense are dropped and the rest kept; hints
 * and resets say exactly what happened; a reset can be undone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { lines, run, scratchState, scratchWorkspace, solve, start } from './support/commands.ts';

const exercise = course.exercises.find((e) => e.id === 'tcp-echo')!;
const file = exercise.files[0];
const stackTrace = /\n\s+at .+:\d+:\d+/;

/** The learner's file in a scratch workspace. */
const learnerFile = (workspace: { exercises: string }) => path.join(workspace.exercises, exercise.id, file);

describe('a state folder that cannot be written', () => {
  // The tests run as root, whom file modes do not stop: a chmod'ed folder would stay
  // writable to them. A file where the state folder should be refuses every write, to root
  // too, through the same code path as a read-only folder (the write throws; here
  // ENOTDIR/EEXIST, there EACCES or EPERM).
  const blocked = () => {
    const workspace = scratchWorkspace([exercise]);
    const state = path.join(scratchState(), 'state');
    fs.writeFileSync(state, 'not a folder');
    return { ...workspace, state };
  };
  const notSaved = /^Your progress was not saved: .*state \(or a folder above it\) is a file, not a folder \((EEXIST|ENOTDIR)[^)]*\); move that file away and run the command again\.$/;

  test('check grades and prints the verdict, then says in one line that it was not saved and why', () => {
    const workspace = blocked();
    solve(workspace, exercise);
    const { code, stdout, stderr } = run(workspace, 'check', [exercise.id]);
    expect(stderr).not.toMatch(stackTrace);
    expect(stdout).toContain('tcp-echo — A TCP echo server');
    expect(stdout).toMatch(/tcp-echo passes\.|Stuck\? `npm run hint -- tcp-echo`/);
    // The exit code is the verdict's (0 for a pass), not a crash's.
    expect(code).toBe(stdout.includes('tcp-echo passes.') ? 0 : 1);
    expect(lines(stderr)).toEqual([expect.stringMatching(notSaved)]);
  });

  test('hint shows the hint, and says it was not remembered', () => {
    const { code, stdout, stderr } = run(blocked(), 'hint', [exercise.id]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Hint 1 of ${exercise.hints.length}`);
    expect(lines(stderr)).toEqual([expect.stringMatching(notSaved)]);
  });

  test('solution needs nothing written, and says nothing', () => {
    const { code, stdout, stderr } = run(blocked(), 'solution', [exercise.id, '--force']);
    expect(code).toBe(0);
    expect(stdout).toContain(`solutions/${exercise.id}/${file}`);
    expect(stderr).toBe('');
  });
});

describe('a read-only progress file, and a backups folder that cannot be made', () => {
  // Read-only by its mode: respected as a wish, as root too, rather than replaced by the atomic rename.
  const readOnly = () => {
    const workspace = scratchWorkspace([exercise]);
    const progress = path.join(workspace.state, 'progress.json');
    const content = `${JSON.stringify({ version: 1, exercises: { [exercise.id]: { hintsShown: 1 } } }, null, 2)}\n`;
    fs.writeFileSync(progress, content, { mode: 0o444 });
    return { workspace, progress, content };
  };
  const notSaved = /^Your progress was not saved: .*progress\.json is read-only; make it writable \(chmod u\+w .*progress\.json\) to keep your verdicts and hint counts\.$/;

  test('check prints the verdict; the file is left as it was, with one line on how to make it writable', () => {
    const { workspace, progress, content } = readOnly();
    const { code, stdout, stderr } = run(workspace, 'check', [exercise.id]);
    expect(code).toBe(1);
    expect(stdout).toContain('Not started yet');
    expect(lines(stderr)).toEqual([expect.stringMatching(notSaved)]);
    expect(fs.readFileSync(progress, 'utf8')).toBe(content);
  });

  test('hint shows the next hint by the file, and says it was not remembered', () => {
    const { workspace, progress, content } = readOnly();
    const { code, stdout, stderr } = run(workspace, 'hint', [exercise.id]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Hint 2 of ${exercise.hints.length}`);
    expect(lines(stderr)).toEqual([expect.stringMatching(notSaved)]);
    expect(fs.readFileSync(progress, 'utf8')).toBe(content);
  });

  test('reset refuses to overwrite work it cannot back up: nothing changes, and it says why', () => {
    const { workspace } = readOnly();
    fs.writeFileSync(path.join(workspace.state, 'backups'), 'not a folder');
    fs.writeFileSync(learnerFile(workspace), '// my attempt\n');
    const { code, stderr } = run(workspace, 'reset', [exercise.id]);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(stackTrace);
    expect(stderr.trim()).toMatch(/^Nothing was changed: your files could not be backed up first, because .* is a file, not a folder .*; move that file away and run the command again\.$/);
    expect(fs.readFileSync(learnerFile(workspace), 'utf8')).toBe('// my attempt\n');
  });

  test('reset of files it can back up does its work, and says only the progress was not saved', () => {
    const { workspace } = readOnly();
    fs.writeFileSync(learnerFile(workspace), '// my attempt\n');
    const { code, stdout, stderr } = run(workspace, 'reset', [exercise.id]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Restored the starter of ${exercise.id}`);
    expect(lines(stderr)).toEqual([expect.stringMatching(notSaved)]);
    expect(fs.readFileSync(learnerFile(workspace), 'utf8')).toBe(fs.readFileSync(path.join(workspace.state, 'starters', exercise.id, file), 'utf8'));
  });
});

describe('hints', () => {
  test('values in the progress file that make no sense are dropped, the rest kept, the file as it was kept beside it', () => {
    const workspace = scratchWorkspace([exercise]);
    const progress = path.join(workspace.state, 'progress.json');
    const original = JSON.stringify({ version: 1, exercises: { [exercise.id]: { status: 'pass', hintsShown: 'lots' }, other: 'nonsense' } });
    fs.writeFileSync(progress, original);

    const { code, stdout, stderr } = run(workspace, 'hint', [exercise.id]);
    expect(code).toBe(0);
    // The first hint, shown as new: not "That was the last hint" over no hint at all.
    expect(stdout).toContain(`Hint 1 of ${exercise.hints.length}\n`);
    expect(stdout).toContain('Run it again for hint 2.');
    expect(stdout).not.toContain('last hint');
    expect(lines(stderr)).toEqual([
      expect.stringMatching(/^Note: your progress file had values that make no sense \(tcp-echo\.hintsShown "lots", other: "nonsense"\); they were dropped and the rest kept \(the file as it was is in .*progress\.json\.before-repair-[\w-]+\)\.$/),
    ]);
    expect(JSON.parse(fs.readFileSync(progress, 'utf8'))).toEqual({ version: 1, exercises: { [exercise.id]: { status: 'pass', hintsShown: 1 } } });
    const kept = fs.readdirSync(workspace.state).find((name) => name.startsWith('progress.json.before-repair-'))!;
    expect(fs.readFileSync(path.join(workspace.state, kept), 'utf8')).toBe(original);
  });

  test('one more each time; once all were seen, all again, every one marked seen', () => {
    const workspace = { state: scratchState() };
    const total = exercise.hints.length;
    for (let shown = 1; shown <= total; shown++) {
      const { code, stdout } = run(workspace, 'hint', [exercise.id]);
      expect(code).toBe(0);
      expect(stdout).toContain(`Hint ${shown} of ${total}\n`);
      expect(stdout).not.toContain(`Hint ${shown + 1} of`);
      if (shown === total) expect(stdout).toContain('That was the last hint. Once the exercise passes, `npm run solution -- tcp-echo` shows the reference solution.');
    }
    const again = run(workspace, 'hint', [exercise.id]);
    for (let n = 1; n <= total; n++) expect(again.stdout).toContain(`Hint ${n} of ${total} (seen)\n`);
    expect(again.stdout).toContain(`You have seen all ${total} hints.`);
  });

  test('watch mode, after a pass, points to the solution rather than "once the exercise passes"', async () => {
    const state = scratchState();
    // All hints but the last seen: the next one is the last, which says what comes after the hints.
    const progress = { version: 1, exercises: { [exercise.id]: { hintsShown: exercise.hints.length - 1 } } };
    fs.writeFileSync(path.join(state, 'progress.json'), JSON.stringify(progress));
    const watch = start({ state }, 'check', ['--watch', '--solutions', exercise.id]);
    await watch.waitFor(/✔ tcp-echo passes!/);
    const from = watch.output().length;
    watch.child.stdin!.write('h\n');
    await watch.waitFor(/That was the last hint\. Your exercise passes: `npm run solution -- tcp-echo` shows the reference solution to compare with yours\./, from);
    expect(watch.output().slice(from)).not.toContain('Once the exercise passes');
    watch.child.stdin!.write('q\n');
    expect(await watch.exited()).toBe(0);
  });
});

describe('reset, and reset --undo', () => {
  const backupsOf = (workspace: { state: string }) => path.join(workspace.state, 'backups', exercise.id);
  const backups = (workspace: { state: string }) => (fs.existsSync(backupsOf(workspace)) ? fs.readdirSync(backupsOf(workspace)) : []);

  test('an untouched starter needs no backup', () => {
    const workspace = scratchWorkspace([exercise]);
    const { code, stdout } = run(workspace, 'reset', [exercise.id]);
    expect(code).toBe(0);
    expect(stdout).toContain('They were the starter already: nothing needed a backup.');
    expect(backups(workspace)).toEqual([]);
  });

  test('--undo puts the files back, backs up what it replaces, and swaps them back when run again', () => {
    const workspace = scratchWorkspace([exercise]);
    const starter = fs.readFileSync(learnerFile(workspace), 'utf8');
    fs.writeFileSync(learnerFile(workspace), '// attempt 1\n');
    expect(run(workspace, 'reset', [exercise.id]).stdout).toContain('`npm run reset -- tcp-echo --undo` puts them back');
    fs.writeFileSync(learnerFile(workspace), '// attempt 2\n');

    const undo = run(workspace, 'reset', [exercise.id, '--undo']);
    expect(undo.code).toBe(0);
    expect(fs.readFileSync(learnerFile(workspace), 'utf8')).toBe('// attempt 1\n');
    expect(undo.stdout).toMatch(/The files it replaced are kept in .*backups\/tcp-echo\/[\w-]+ \(`npm run reset -- tcp-echo --undo` swaps them back\)/);
    // The backup put back is used up; the one of attempt 2 is the only one left.
    expect(backups(workspace)).toHaveLength(1);

    expect(run(workspace, 'reset', [exercise.id, '--undo']).code).toBe(0);
    expect(fs.readFileSync(learnerFile(workspace), 'utf8')).toBe('// attempt 2\n');

    // Back to the starter, and undo that: the starter itself needs no backup.
    run(workspace, 'reset', [exercise.id]);
    expect(fs.readFileSync(learnerFile(workspace), 'utf8')).toBe(starter);
    const last = run(workspace, 'reset', [exercise.id, '--undo']);
    expect(last.stdout).toContain('The files it replaced needed no backup');
    expect(fs.readFileSync(learnerFile(workspace), 'utf8')).toBe('// attempt 2\n');
  });

  test('--undo without a backup says there is none, and how one is made', () => {
    const workspace = scratchWorkspace([exercise]);
    const { code, stderr } = run(workspace, 'reset', [exercise.id, '--undo']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^There is no backup of tcp-echo to put back: `npm run reset -- tcp-echo` makes one \(in .*backups\/tcp-echo\/\) before it restores the starter\.$/);
  });
});
