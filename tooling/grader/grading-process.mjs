// Entry point of the grading process (see grading-process.ts).
// Plain JavaScript on purpose: vitest loads several times faster without a TypeScript
// loader in the way, so it is imported first, and the loader (tsx) is registered only
// afterwards, for the workbook's own modules.
await import('vitest/node');
const { register } = await import('tsx/esm/api');
register();
await import('./grading-process.ts');
