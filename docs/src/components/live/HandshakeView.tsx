import useBaseUrl from '@docusaurus/useBaseUrl';
import { useEffect, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { playgroundSocket } from './playground';
import { PlaygroundMissing, Widget } from './shared';
import styles from './live.module.css';

/** One step of a recording, as `tooling/playground/recorder.ts` serves it. */
export interface WireStep {
  readonly seq: number;
  readonly at: number;
  readonly from: 'client' | 'server';
  readonly protocol: 'TCP' | 'HTTP' | 'WebSocket' | 'Engine.IO' | 'Socket.IO';
  readonly layer: { readonly number: number; readonly name: string };
  readonly lesson: { readonly id: string; readonly anchor?: string };
  readonly title: string;
  readonly text: string;
  readonly transport?: string;
}

export interface Recording {
  readonly id: string;
  readonly startedAt: number;
  readonly transport: string;
  readonly steps: readonly WireStep[];
  readonly droppedSteps: number;
}

const lessonTitles: Record<string, string> = {
  'networks-in-layers': 'Networks in layers',
  tcp: 'TCP',
  websocket: 'WebSocket',
  'socket-io': 'Socket.IO',
};

function Step({ step, startedAt }: { step: WireStep; startedAt: number }) {
  const lessons = useBaseUrl('/lessons/');
  const layersHref = `${lessons}networks-in-layers#where-the-protocols-of-this-course-sit`;
  const right = step.from === 'client';
  const href = `${lessons}${step.lesson.id}${step.lesson.anchor ? `#${step.lesson.anchor}` : ''}`;
  return (
    <li className={styles.step} data-protocol={step.protocol} data-from={step.from}>
      <span className={styles.lifeline} aria-hidden="true" data-lifeline="browser" />
      <div className={styles.message}>
        <span className={`${styles.arrow} ${right ? styles.toPlayground : styles.toBrowser}`} aria-hidden="true" />
        <span className={styles.srOnly}>{right ? 'Browser to playground: ' : 'Playground to browser: '}</span>
        <a href={layersHref} className={`badge badge--${step.layer.number === 4 ? 'secondary' : 'primary'} ${styles.layer}`} title={`OSI layer ${step.layer.number}: ${step.layer.name} (lesson: Networks in layers)`}>
          L{step.layer.number} {step.layer.name} · {step.protocol}
        </a>
        <strong>{step.title}</strong>{' '}
        <small>
          +{step.at - startedAt} ms · <a className={styles.inlineLink} href={href}>lesson: {lessonTitles[step.lesson.id] ?? step.lesson.id}</a>
        </small>
        <details>
          <summary>What crossed the wire</summary>
          <pre className={styles.wire}>{step.text}</pre>
        </details>
      </div>
      <span className={styles.lifeline} aria-hidden="true" data-lifeline="playground" />
    </li>
  );
}

/** The recording as a sequence diagram: the browser on the left, the playground on the right. */
export function SequenceDiagram({ recording }: { recording: Recording }) {
  return (
    <div>
      <div className={styles.lifelines} aria-hidden="true">
        <span data-lifeline-name="browser">Browser</span>
        <span />
        <span data-lifeline-name="playground">Playground</span>
      </div>
      <ol className={styles.sequence} aria-label={`What crossed the wire for connection ${recording.id}`}>
        {recording.steps.map((step) => (
          <Step key={step.seq} step={step} startedAt={recording.startedAt} />
        ))}
      </ol>
      {recording.droppedSteps > 0 && <p>…and {recording.droppedSteps} more steps, not kept.</p>}
    </div>
  );
}

/**
 * See your own handshake: connects to the playground from this page (long-polling
 * first, then the upgrade to WebSocket, as Socket.IO does by default), emits one
 * event with an acknowledgement, and draws what the playground recorded.
 */
export default function HandshakeView() {
  const socket = useRef<Socket | undefined>(undefined);
  const [recording, setRecording] = useState<Recording>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => () => void socket.current?.disconnect(), []);

  const fetchRecording = async () => {
    const current = socket.current;
    if (!current?.connected) return;
    setRecording((await current.timeout(5000).emitWithAck('recorder:get')) as Recording);
  };

  const record = async () => {
    setBusy(true);
    setError(undefined);
    socket.current?.disconnect();
    // The token is here to show that the recorder masks it.
    let fresh: Socket;
    try {
      fresh = await playgroundSocket({ auth: { token: 'my-secret-token' }, reconnection: false });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setBusy(false);
      return;
    }
    socket.current = fresh;
    try {
      await new Promise<void>((resolve, reject) => {
        fresh.once('connect', () => resolve());
        fresh.once('connect_error', reject);
        fresh.connect();
      });
      // Wait for the upgrade to WebSocket (or give up on it after 3 s).
      await new Promise<void>((resolve) => {
        if (fresh.io.engine.transport.name === 'websocket') return resolve();
        const timer = setTimeout(resolve, 3000);
        fresh.io.engine.once('upgrade', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await fresh.timeout(5000).emitWithAck('echo', 'hello, wire');
      await fetchRecording();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Widget title="See your own handshake">
      <PlaygroundMissing error={error} />
      <p>
        Connect from this page and see, step by step, what crossed the wire: the TCP connection, the HTTP requests of
        the Engine.IO handshake, the upgrade to WebSocket, the Socket.IO packets. Your <code>auth</code> token and
        cookies are masked. Pings arrive every 25 seconds: refresh to see them.
      </p>
      <div className="margin-bottom--md">
        <button type="button" className="button button--primary button--sm margin-right--sm" onClick={() => void record()} disabled={busy}>
          {busy ? 'Connecting…' : recording ? 'Connect again' : 'Connect and record'}
        </button>
        <button type="button" className="button button--secondary button--sm" onClick={() => void fetchRecording()} disabled={!recording || busy}>
          Refresh
        </button>
      </div>
      {recording && <SequenceDiagram recording={recording} />}
    </Widget>
  );
}
