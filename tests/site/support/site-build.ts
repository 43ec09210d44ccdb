/**
 * Builds the site unless `docs/build` is newer than everything it is made of,
 * so a test run right after `npm run build` does not build twice.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { course } from '../../../exercises/manifest.ts';
import { folders, repoRoot } from '../../../tooling/course/paths.ts';

export const siteDir = path.join(repoRoot, 'docs');
export const buildDir = path.join(siteDir, 'build');

/** Folders under docs/ that are outputs, not sources. */
const generated = new Set(['build', '.docusaurus', 'api', 'generated', 'node_modules']);

/** Runs `docusaurus build docs` and returns how long it took, in milliseconds. Throws with its output if it fails. */
export function buildSite(): number {
  const started = performance.now();
  const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'docusaurus'), ['build', 'docs'], {
    cwd: repoRoot,
    encoding: 'utf8',
    // A guard: 90 s alone, many minutes on a shared, busy machine.
    timeout: 900_000,
  });
  if (result.status !== 0) {
    throw new Error(`The site build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return performance.now() - started;
}

/**
 * Builds the site if its build is missing, older than a source file, or lacks
 * a page the manifest names (the manifest can change while a build runs, after
 * the build has read it).
 */
export function ensureFreshBuild(): void {
  const builtAt = mtime(path.join(buildDir, 'index.html'));
  const missingPage = course.exercises.some(({ id }) => !fs.existsSync(path.join(buildDir, 'exercises', `${id}.html`)));
  if (builtAt === undefined || missingPage || newestSource() > builtAt) buildSite();
}

function newestSource(): number {
  return Math.max(
    newest(siteDir, (name) => !generated.has(name)),
    newest(folders.exercises, () => true),
    newest(path.join(folders.checks, 'support'), () => true),
  );
}

function newest(dir: string, keep: (name: string) => boolean): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!keep(entry.name)) continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full, () => true) : (mtime(full) ?? 0));
  }
  return latest;
}

function mtime(file: string): number | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}
