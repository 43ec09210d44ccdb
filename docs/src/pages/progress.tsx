import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import { useCallback, useEffect, useRef, useState } from 'react';
import { playgroundUrl } from '../components/live/playground';
import styles from '../components/live/live.module.css';

/** As `tooling/playground/progress.ts` serves it at `/playground/progress`. */
interface Row {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly status: 'pass' | 'fail' | 'error' | 'not-started';
  readonly message: string;
  readonly permalink: string;
  readonly hints: { readonly shown: number; readonly total: number };
}
interface Report {
  readonly gradedAt: number;
  readonly durationMs: number;
  readonly exercises: readonly Row[];
}
type State =
  | { state: 'idle' }
  | { state: 'grading'; since: number; previous?: Report }
  | { state: 'ready'; report: Report }
  | { state: 'error'; message: string; previous?: Report };

const badges: Record<Row['status'], string> = { pass: 'success', fail: 'danger', error: 'warning', 'not-started': 'secondary' };
const words: Record<Row['status'], string> = { pass: 'passes', fail: 'fails', error: 'error', 'not-started': 'not started' };

function ProgressTable({ report, stale }: { report: Report; stale: boolean }) {
  const done = report.exercises.filter((row) => row.status === 'pass').length;
  return (
    <>
      <p>
        <strong>
          {done} of {report.exercises.length} exercises pass.
        </strong>{' '}
        Graded at {new Date(report.gradedAt).toLocaleTimeString()} in {(report.durationMs / 1000).toFixed(1)} s{stale ? ' (grading again…)' : ''}.
      </p>
      {/* On a phone the table scrolls inside this box: every column, Hints and Why included, stays reachable. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard */}
      <div className={styles.tableScroll} role="region" aria-label="Exercises and their status" tabIndex={0}>
        <table className={styles.table} style={{ opacity: stale ? 0.6 : 1 }}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Exercise</th>
              <th scope="col">Status</th>
              <th scope="col" className={styles.hintsColumn}>Hints</th>
              <th scope="col" className={styles.whyColumn}>Why</th>
            </tr>
          </thead>
          <tbody>
            {report.exercises.map((row) => (
              <tr key={row.id} data-exercise={row.id} data-status={row.status}>
                <td>{row.number}</td>
                <td>
                  <Link to={row.permalink}>{row.title}</Link>
                </td>
                <td>
                  <span className={`badge badge--${badges[row.status]}`}>{words[row.status]}</span>
                </td>
                <td>
                  {row.hints.shown >= row.hints.total ? (
                    `all ${row.hints.total} shown`
                  ) : (
                    <>
                      next: {row.hints.shown + 1} of {row.hints.total} (<code>npm run hint -- {row.id}</code>)
                    </>
                  )}
                </td>
                <td>{row.status === 'pass' ? '' : row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Your progress, as `npm run check -- --json` reports it, graded by the playground on request. */
export default function ProgressPage() {
  const [state, setState] = useState<State>();
  const [unreachable, setUnreachable] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const poll = useCallback(async (method: 'GET' | 'POST') => {
    clearTimeout(timer.current);
    try {
      const response = await fetch(`${playgroundUrl()}/playground/progress`, { method });
      const next = (await response.json()) as State;
      setUnreachable(undefined);
      if (next.state === 'idle' && method === 'GET') return void poll('POST');
      setState(next);
      if (next.state === 'grading') timer.current = setTimeout(() => void poll('GET'), 1000);
    } catch (error) {
      setUnreachable((error as Error).message);
    }
  }, []);

  useEffect(() => {
    void poll('GET');
    return () => clearTimeout(timer.current);
  }, [poll]);

  const report = state?.state === 'ready' ? state.report : state?.state === 'grading' || state?.state === 'error' ? state.previous : undefined;
  return (
    <Layout title="Your progress" description="Each exercise's status, as npm run check reports it.">
      <main className="container margin-vert--lg">
        <h1>Your progress</h1>
        <p>
          Each exercise&apos;s status as <code>npm run check -- --json</code> reports it, graded on your machine by the
          playground. Grading takes a few seconds.
        </p>
        {unreachable && (
          <div className="alert alert--warning margin-bottom--md" role="status">
            <strong>The playground is not answering</strong> at <code>{playgroundUrl()}</code> ({unreachable}). This page
            asks it to grade your work: start it with <code>npm start</code> or <code>npm run playground</code>, then{' '}
            <button type="button" className="button button--link button--sm" onClick={() => void poll('GET')}>
              try again
            </button>
            . Meanwhile, <code>npm run check</code> in a terminal shows the same.
          </div>
        )}
        <div role="status" aria-live="polite" className="margin-bottom--md">
          {state?.state === 'grading' && <span className="badge badge--info">grading…</span>}
          {state?.state === 'error' && <span className="alert alert--danger">Grading failed: {state.message}</span>}
        </div>
        {report && <ProgressTable report={report} stale={state?.state === 'grading'} />}
        <button type="button" className="button button--primary" onClick={() => void poll('POST')} disabled={state?.state === 'grading' || unreachable !== undefined}>
          Grade again
        </button>
      </main>
    </Layout>
  );
}
