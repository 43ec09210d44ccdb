// `npm run check` starts here. Plain JavaScript for one reason: it reaches the warm
// grading server first (starting it if need be), or in watch mode starts its own
// grading process, while this process loads the TypeScript loader and the grader
// (see tooling/grader/grading-server-client.mjs and start-grading-process.mjs).
// Everything else is in check.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradingServerAllowed, prepareGradingServer } from '../grader/grading-server-client.mjs';
import { prestartGradingProcess } from '../grader/start-grading-process.mjs';

const args = process.argv.slice(2);
if (!args.some((arg) => arg === '--help' || arg === '-h')) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  // The graded folder, as tooling/course/paths.ts derives it (WORKBOOK_EXERCISES moves the learner's).
  const learnerFolder = path.resolve(repoRoot, process.env.WORKBOOK_EXERCISES ?? 'exercises');
  const targetRoot = args.includes('--solutions') ? path.join(repoRoot, 'solutions') : learnerFolder;
  // Watch mode keeps a grading process of its own for as long as it runs. Otherwise the
  // server is asked right away for what the command line seems to want; check.ts checks
  // the answer against what it understood, and asks again if they differ.
  const watching = args.some((arg) => arg === '--watch' || arg === '-w');
  if (gradingServerAllowed() && !watching) {
    const exercises = args.filter((arg) => !arg.startsWith('-'));
    prepareGradingServer({ root: targetRoot, isLearnerFolder: !args.includes('--solutions'), exercises });
  } else {
    prestartGradingProcess(targetRoot);
  }
}

const { register } = await import('tsx/esm/api');
register();
await import('./check.ts');
