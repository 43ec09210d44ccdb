import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode, type RefCallback } from 'react';
import type { Socket } from 'socket.io-client';
import { clock, configuredPlaygroundUrl, playgroundUrl, transportOf } from './playground';
import styles from './live.module.css';

export interface LogEntry {
  readonly id: number;
  readonly at: number;
  /** `←` came in, `→` went out, `·` happened. */
  readonly arrow: '←' | '→' | '·' | '✘';
  readonly text: string;
}

/** An append-only log, newest last, capped so a long session stays light. */
export function useLog(limit = 300) {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const next = useRef(0);
  const add = useCallback(
    (arrow: LogEntry['arrow'], text: string) => {
      const entry = { id: next.current++, at: Date.now(), arrow, text };
      setEntries((list) => [...list.slice(-(limit - 1)), entry]);
    },
    [limit],
  );
  const clear = useCallback(() => setEntries([]), []);
  return { entries, add, clear };
}

/** A timestamped log that screen readers announce politely, scrolled to its newest line. */
export function LogList({ entries, label }: { entries: readonly LogEntry[]; label: string }) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [entries]);
  return (
    <div ref={list} className={styles.log} role="log" aria-live="polite" aria-label={label} tabIndex={0}>
      <ol>
        {entries.length === 0 && <li className={styles.time}>Nothing yet.</li>}
        {entries.map((entry) => (
          <li key={entry.id} data-arrow={entry.arrow}>
            <span className={styles.time}>{clock(entry.at)}</span>
            <span aria-hidden="true">{entry.arrow} </span>
            {entry.text}
          </li>
        ))}
      </ol>
    </div>
  );
}

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** The state of a socket, its id and its transport, kept up to date. */
export function useConnection(socket: Socket | undefined) {
  const [state, setState] = useState<ConnectionState>('disconnected');
  const [transport, setTransport] = useState('—');
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!socket) return;
    const onConnect = () => {
      setState('connected');
      setError(undefined);
      setTransport(transportOf(socket));
      socket.io.engine?.once('upgrade', () => setTransport(transportOf(socket)));
    };
    const onDisconnect = () => {
      setState(socket.active ? 'reconnecting' : 'disconnected');
      setTransport('—');
    };
    const onError = (err: Error) => {
      setError(err.message);
      setState(socket.active ? 'reconnecting' : 'disconnected');
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onError);
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onError);
    };
  }, [socket]);
  return { state, setState, transport, error, setError };
}

/**
 * `near` turns true (and stays so) once the element given `ref` comes within a
 * screen of the viewport: a widget below the fold costs the page nothing before.
 */
export function useNearViewport(): { ref: RefCallback<HTMLElement>; near: boolean } {
  const [near, setNear] = useState(false);
  const observer = useRef<IntersectionObserver | undefined>(undefined);
  const ref = useCallback((element: HTMLElement | null) => {
    observer.current?.disconnect();
    if (!element) return;
    if (typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return;
    }
    observer.current = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.current?.disconnect();
        setNear(true);
      },
      { rootMargin: '100% 0px' },
    );
    observer.current.observe(element);
  }, []);
  return { ref, near };
}

/**
 * A socket made once per component, closed when the component goes. It is made
 * once `near` is true (from {@link useNearViewport}: Socket.IO's client loads
 * then, see `loadSocketIo`); until then it is `undefined`, as in the server-side render.
 */
export function useSocket(make: () => Promise<Socket>, near: boolean): Socket | undefined {
  const [socket, setSocket] = useState<Socket>();
  useEffect(() => {
    if (!near) return undefined;
    let gone = false;
    let made: Socket | undefined;
    void make().then((fresh) => {
      if (gone) {
        fresh.disconnect();
        return;
      }
      made = fresh;
      setSocket(fresh);
    });
    return () => {
      gone = true;
      made?.removeAllListeners();
      made?.disconnect();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [near]);
  return socket;
}

/** Says plainly how to start the playground, when it cannot be reached. */
export function PlaygroundMissing({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <div className="alert alert--warning margin-bottom--md" role="status">
      <strong>The playground is not answering</strong> at <code>{playgroundUrl()}</code> ({error}). This demo talks to a
      small local server. Start it with <code>npm start</code> (the site and the playground together) or, next to a
      running site, <code>npm run playground</code> in another terminal; this demo connects as soon as it is up.
    </div>
  );
}

export function StatusLine({ state, transport, id }: { state: ConnectionState; transport: string; id?: string | undefined }) {
  const badge = state === 'connected' ? 'badge--success' : state === 'disconnected' ? 'badge--secondary' : 'badge--warning';
  return (
    <p className={styles.status} role="status" aria-live="polite">
      <span className={`badge ${badge}`} data-state={state}>
        {state}
      </span>{' '}
      transport: <code data-transport={transport}>{transport}</code>
      {id ? (
        <>
          {' '}
          · id <code>{id}</code>
        </>
      ) : null}
    </p>
  );
}

/**
 * The playground address this page really uses: the site's configured one in the
 * server-side render (no page address there), then the page's own once it runs
 * (`?playground=…` wins, see `playground-address.ts`).
 */
export function usePlaygroundUrl(): string {
  const [url, setUrl] = useState(configuredPlaygroundUrl);
  useEffect(() => setUrl(playgroundUrl()), []);
  return url;
}

/** Says where the live widgets below connect, and how to start the playground. */
export function PlaygroundNote({ className }: { className?: string }) {
  const url = usePlaygroundUrl();
  return (
    <p className={className ?? styles.note} data-playground-note="">
      Talks to the playground on your machine, at <code data-playground-url={url}>{url}</code>: <code>npm start</code>{' '}
      runs it with the site, or run <code>npm run playground</code> in another terminal.
    </p>
  );
}

/**
 * Inside it, widgets leave out their own playground note: a page with several
 * widgets (/playground) shows one {@link PlaygroundNote} for all of them.
 */
const NoteShownAbove = createContext(false);
export function OnePlaygroundNote({ children }: { children: ReactNode }) {
  return <NoteShownAbove.Provider value={true}>{children}</NoteShownAbove.Provider>;
}

/** A live widget's frame; `ref` (optional) is its `<section>`, for {@link useNearViewport}. */
export function Widget({ title, children, ref }: { title: string; children: ReactNode; ref?: RefCallback<HTMLElement> }) {
  const noteShownAbove = useContext(NoteShownAbove);
  return (
    <section ref={ref} className={styles.widget} aria-label={title}>
      <h3 className={styles.title}>{title}</h3>
      {!noteShownAbove && <PlaygroundNote />}
      {children}
    </section>
  );
}
