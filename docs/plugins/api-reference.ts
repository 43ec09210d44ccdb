/**
 * The API reference: TypeDoc (through `docusaurus-plugin-typedoc` and
 * `typedoc-plugin-markdown`) documents the exercise contracts and the checks'
 * support library into the git-ignored `docs/api/`, on every start and build.
 *
 * The entry points come from the manifest: every starter file it lists, so a new
 * exercise appears here without touching this file.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PluginConfig } from '@docusaurus/types';
import { course } from '../../exercises/manifest.ts';
import { folders, learnerFiles } from '../../tooling/course/paths.ts';

/** The files TypeDoc documents, in course order; files not written yet are skipped. */
export function apiEntryPoints(): string[] {
  const candidates = [
    path.join(folders.exercises, 'types.ts'),
    ...course.exercises.flatMap((exercise) => learnerFiles(exercise)).filter((file) => file.endsWith('.ts')),
    path.join(folders.checks, 'support', 'index.ts'),
  ];
  return candidates.filter((file) => fs.existsSync(file));
}

export function apiReferencePlugin(siteDir: string): PluginConfig {
  return [
    'docusaurus-plugin-typedoc',
    {
      id: 'api',
      name: 'API reference',
      entryPoints: apiEntryPoints(),
      // A narrow program (exercises and checks/support only) keeps TypeDoc fast.
      tsconfig: path.join(siteDir, 'tsconfig.typedoc.json'),
      out: path.join(siteDir, 'api'),
      readme: 'none',
      entryFileName: 'index.md',
      // Type errors are `npm run typecheck`'s job; a half-written starter must not break the site.
      skipErrorChecking: true,
      // There is no public repository URL to link sources to.
      disableSources: true,
      excludePrivate: true,
      excludeInternal: true,
      sidebar: { autoConfiguration: false },
    },
  ];
}
