/**
 * The grading process: a long-lived vitest instance that runs check files on request.
 *
 * The grader starts it as a child in its own process group and talks to it over IPC
 * (see `protocol.ts`). vitest runs each check in a worker thread of this process, so
 * learner code that blocks its thread or calls `process.exit()` can hang or kill
 * this process — never the grader, which watches from outside and starts a fresh one.
 * Keeping one instance alive is what makes re-grading on save fast.
 *
 * @module
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { createVitest } from 'vitest/node';
import checksConfig from '../../checks/vitest.config.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { listenToHeartbeats } from './heartbeat.ts';
import { StandbyThreads } from './standby-threads.ts';
import type { ErrorInfo, ModuleOutcome, Report, Request, RunState } from './protocol.ts';

function send(report: Report): void {
  process.send?.(report);
}

const DIFF_LIMIT = 2000;

function toErrorInfo(error: { name?: string; message?: string; diff?: string } | undefined): ErrorInfo {
  const info: ErrorInfo = { name: error?.name ?? 'Error', message: error?.message ?? String(error) };
  return error?.diff ? { ...info, diff: error.diff.slice(0, DIFF_LIMIT) } : info;
}

/** Console output of the learner's code, kept per check file. */
const logs = new Map<string, string[]>();

function outcomeOf(module: TestModule): ModuleOutcome {
  const tests = [...module.children.allTests()].map((test: TestCase) => {
    const result = test.result();
    return { name: test.name, state: result.state as RunState, errors: (result.errors ?? []).map(toErrorInfo) };
  });
  return {
    file: module.moduleId,
    state: module.state() as RunState,
    errors: module.errors().map(toErrorInfo),
    tests,
    logs: logs.get(module.moduleId) ?? [],
    durationMs: Math.round(module.diagnostic().duration),
  };
}

const forwarder: Reporter = {
  onTestModuleStart: (module) => send({ type: 'activity', file: module.moduleId }),
  onTestCaseReady: (test) => send({ type: 'activity', file: test.module.moduleId }),
  onTestCaseResult: (test) => send({ type: 'activity', file: test.module.moduleId }),
  onUserConsoleLog: (log) => {
    if (!log.taskId) return;
    const file = vitest.state.idMap.get(log.taskId)?.file?.filepath;
    if (!file) return;
    const kept = logs.get(file) ?? [];
    if (kept.length < 50) kept.push(log.content.replace(/\n$/, ''));
    logs.set(file, kept);
  },
  onTestModuleEnd: (module) => send({ type: 'module-end', outcome: outcomeOf(module) }),
  onTestRunEnd: (_modules, unhandledErrors) =>
    send({
      type: 'run-end',
      unhandled: unhandledErrors.map((error) => {
        const { VITEST_TEST_PATH: file } = error as { VITEST_TEST_PATH?: string };
        // vitest names the kind of escape in `type`, e.g. "Unhandled Rejection".
        const { type } = error as { type?: string };
        const info = toErrorInfo({ ...(error as { message?: string }), name: type ?? (error as { name?: string }).name ?? 'Error' });
        return file ? { file, error: info } : { error: info };
      }),
    }),
};

// The checks' config is imported, not named: vitest would bundle the file first, which costs more than the rest of the start-up.
// Threads started ahead, with the libraries learner code and checks use (the dependencies) already loaded.
const pool = new StandbyThreads(Object.keys(packageJson.dependencies));
const vitest = await createVitest('test', { ...checksConfig.test, pool, config: false, watch: false, reporters: [forwarder] });

process.on('message', (request: Request) => {
  if (request.type === 'exit') {
    void vitest.close().finally(() => process.exit(0));
    return;
  }
  logs.clear();
  for (const file of request.changed) vitest.invalidateFile(file);
  const prepareNext = request.prepareNext === true;
  pool.keepSpare = prepareNext && request.checkFiles.length === 1;
  vitest
    .runTestFiles([...request.checkFiles])
    .catch((error: unknown) => send({ type: 'fatal', message: String(error) }))
    // What comes next (a save in watch mode, the next `npm run check`) finds a thread ready.
    .finally(() => {
      if (prepareNext) pool.prepareSpare();
    });
});
listenToHeartbeats(({ file }) => send({ type: 'heartbeat', file }));
// The grader is gone (it was stopped, or crashed): nothing is left to grade for.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
