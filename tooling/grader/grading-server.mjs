// Entry point of the grading server (see grading-server.ts). Plain JavaScript, like
// grading-process.mjs: its first grading process starts booting vitest before the
// TypeScript loader and the server itself have loaded.
import { prestartGradingProcess } from './start-grading-process.mjs';

const [targetRoot] = process.argv.slice(2);
if (targetRoot) prestartGradingProcess(targetRoot);
const { register } = await import('tsx/esm/api');
register();
await import('./grading-server.ts');
