// `npm run check` starts here. Plain JavaScript for one reason: it starts the
// grading process first, so that vitest boots in it while this process loads the
// TypeScript loader and the grader (see tooling/grader/start-grading-process.mjs).
// Everything else is in check.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prestartGradingProcess } from '../grader/start-grading-process.mjs';

const args = process.argv.slice(2);
if (!args.some((arg) => arg === '--help' || arg === '-h')) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  // The graded folder, as tooling/course/paths.ts derives it.
  const learnerFolder = path.resolve(repoRoot, process.env.WORKBOOK_EXERCISES ?? 'exercises');
  prestartGradingProcess(args.includes('--solutions') ? path.join(repoRoot, 'solutions') : learnerFolder);
}

const { register } = await import('tsx/esm/api');
register();
await import('./check.ts');
