import Layout from '@theme/Layout';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
// The inspector connects as soon as asked: Socket.IO's browser bundle comes with the page (the lessons load it on demand).
import { io } from 'socket.io-client/dist/socket.io.js';
import { playgroundUrl, show, transportOf } from '../components/live/playground';
import { LogList, StatusLine, useLog, type ConnectionState } from '../components/live/shared';
import styles from '../components/live/live.module.css';

/** Everything a session is made of; it lives in the page address (`#url=…&options=…`) for sharing. */
interface Session {
  url: string;
  namespace: string;
  /** JSON of the socket.io-client options: path, transports, auth, … */
  options: string;
  /** Log every event (`onAny`), or only the named ones. */
  listenAll: boolean;
  /** Comma-separated event names to listen to. */
  events: string;
  emitEvent: string;
  /** JSON array of arguments. */
  emitArgs: string;
  withAck: boolean;
}

const defaultOptions = JSON.stringify({ path: '/socket.io', transports: ['polling', 'websocket'], auth: {} }, null, 2);

function defaultSession(): Session {
  return { url: playgroundUrl(), namespace: '/', options: defaultOptions, listenAll: true, events: '', emitEvent: 'echo', emitArgs: '["hello"]', withAck: true };
}

/** Reads a session from `#url=…&namespace=…&options=…&listen=*|a,b&event=…&args=…&ack=1`. */
function sessionFromHash(hash: string): Session {
  const base = defaultSession();
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const listen = params.get('listen');
  return {
    url: params.get('url') ?? base.url,
    namespace: params.get('namespace') ?? base.namespace,
    options: params.has('options') ? prettyJson(params.get('options')!) : base.options,
    listenAll: listen === null ? base.listenAll : listen === '*',
    events: listen && listen !== '*' ? listen : base.events,
    emitEvent: params.get('event') ?? base.emitEvent,
    emitArgs: params.get('args') ?? base.emitArgs,
    withAck: params.has('ack') ? params.get('ack') === '1' : base.withAck,
  };
}

function sessionToHash(session: Session): string {
  let options = session.options;
  try {
    options = JSON.stringify(JSON.parse(session.options));
  } catch {
    // Keep what was typed, even if it does not parse yet.
  }
  return new URLSearchParams({
    url: session.url,
    namespace: session.namespace,
    options,
    listen: session.listenAll ? '*' : session.events,
    event: session.emitEvent,
    args: session.emitArgs,
    ack: session.withAck ? '1' : '0',
  }).toString();
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function parseJson(text: string, what: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `${what} is not valid JSON: ${(error as Error).message}` };
  }
}

/** Engine.IO's packet types, by the digit that starts each packet on the wire. */
const engineTypeCodes: Record<string, string> = { open: '0', close: '1', ping: '2', pong: '3', message: '4', upgrade: '5', noop: '6' };

interface EnginePacket {
  readonly type: string;
  readonly data?: unknown;
}

/**
 * A packet as it travels: the Engine.IO type digit, then the data, e.g.
 * `420["echo","a"]` (4: message, then the Socket.IO packet: 2 = EVENT, ack id 0, the JSON).
 */
function rawPacket(packet: EnginePacket): string {
  const code = engineTypeCodes[packet.type] ?? `?${packet.type}`;
  if (packet.data === undefined || packet.data === null) return code;
  if (typeof packet.data === 'string') return `${code}${packet.data}`;
  const bytes = (packet.data as { byteLength?: number }).byteLength;
  return `${code} <binary, ${bytes ?? '?'} bytes>`;
}

/**
 * Why an emit with an acknowledgement got none, when the arguments say why: Socket.IO
 * hands the acknowledgement callback to the server's handler after the last
 * argument, so a handler written `(payload, ack)` takes the second argument as its
 * `ack`.
 */
function noAckExplanation(event: string, args: readonly unknown[]): string {
  if (args.length < 2) return '';
  return (
    ` — you sent ${args.length} arguments, and Socket.IO passes the acknowledgement callback after the last one. ` +
    `A handler written as (payload, ack)${event === 'echo' ? `, like the playground's echo,` : ''} took your second argument (${show([args[1]])}) as its ack: ` +
    `not a function, so it could not answer${event === 'echo' ? ' (the playground\'s echo then emits an "echo" event back instead)' : ''}. ` +
    `Send one argument, e.g. ${show([args.slice(0, 1)])}, or put them all in one: ${show([[args]])}.`
  );
}

/** The full address to connect to: the URL with the namespace appended. */
function target(session: Session): string {
  const url = session.url.replace(/\/+$/, '');
  const namespace = session.namespace.trim() === '' || session.namespace.trim() === '/' ? '' : `/${session.namespace.trim().replace(/^\/+/, '')}`;
  return `${url}${namespace}`;
}

/**
 * The Socket Inspector: connect to any Socket.IO server, listen to its events, emit
 * your own with JSON arguments and an optional acknowledgement, and read a
 * timestamped log of everything in and out.
 */
export default function Inspector() {
  const [session, setSession] = useState<Session>(defaultSession);
  const [loaded, setLoaded] = useState(false);
  const socket = useRef<Socket | undefined>(undefined);
  const [state, setState] = useState<ConnectionState>('disconnected');
  const [transport, setTransport] = useState('—');
  const [socketId, setSocketId] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const { entries, add, clear } = useLog(1000);
  const raw = useLog(1000);
  const ids = { url: useId(), namespace: useId(), options: useId(), events: useId(), emitEvent: useId(), emitArgs: useId() };

  // The address is read once in the browser (it does not exist while the site is built) …
  useEffect(() => {
    setSession(sessionFromHash(window.location.hash));
    setLoaded(true);
  }, []);
  // … and kept up to date as the session changes, without adding to the history.
  useEffect(() => {
    if (loaded) window.history.replaceState(null, '', `#${sessionToHash(session)}`);
  }, [session, loaded]);
  useEffect(() => () => void socket.current?.disconnect(), []);

  const update = <K extends keyof Session>(key: K, value: Session[K]) => setSession((current) => ({ ...current, [key]: value }));

  const connect = useCallback(() => {
    setProblem(undefined);
    const parsed = parseJson(session.options, 'The options');
    if (parsed.error) return setProblem(parsed.error);
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return setProblem('The options must be a JSON object, like {"transports": ["websocket"]}.');
    socket.current?.disconnect();
    const address = target(session);
    let made: Socket;
    try {
      made = io(address, { forceNew: true, ...(parsed.value as object) });
    } catch (error) {
      return setProblem(`Could not create the socket: ${(error as Error).message}`);
    }
    socket.current = made;
    // The raw packets: every Engine.IO connection the manager opens (a new one per reconnection attempt).
    const watched = new WeakSet<object>();
    const watchEngine = () => {
      const engine = made.io.engine as unknown as { on(event: string, listener: (packet: EnginePacket) => void): unknown } | undefined;
      if (!engine || watched.has(engine)) return;
      watched.add(engine);
      engine.on('packetCreate', (packet) => raw.add('→', rawPacket(packet)));
      engine.on('packet', (packet) => raw.add('←', rawPacket(packet)));
    };
    watchEngine();
    // The manager opens the next connection right after announcing the attempt.
    made.io.on('reconnect_attempt', () => queueMicrotask(watchEngine));
    made.io.on('open', watchEngine);
    setState('connecting');
    add('·', `connecting to ${address} with ${JSON.stringify(parsed.value)}`);

    made.on('connect', () => {
      setState('connected');
      setSocketId(made.id);
      setTransport(transportOf(made));
      add('·', `connected: id ${made.id}, transport ${transportOf(made)}${made.recovered ? ' (state recovered)' : ''}`);
      made.io.engine.once('upgrade', (next: { name: string }) => {
        setTransport(next.name);
        add('·', `transport upgraded to ${next.name}`);
      });
    });
    made.on('disconnect', (reason, details) => {
      setState(made.active ? 'reconnecting' : 'disconnected');
      setTransport('—');
      add('·', `disconnected: ${reason}${details && 'description' in details ? ` (${String(details.description)})` : ''}`);
    });
    made.on('connect_error', (error: Error & { data?: unknown }) => {
      setState(made.active ? 'reconnecting' : 'disconnected');
      add('✘', `connect_error: ${error.message}${error.data === undefined ? '' : ` ${show([error.data])}`}`);
    });
    made.io.on('reconnect_attempt', (attempt) => add('·', `reconnection attempt ${attempt}`));
    if (session.listenAll) {
      made.onAny((event: string, ...args: unknown[]) => add('←', `${event} ${show(args)}`));
    } else {
      for (const name of session.events.split(',').map((e) => e.trim()).filter(Boolean)) {
        made.on(name, (...args: unknown[]) => add('←', `${name} ${show(args)}`));
      }
    }
  }, [session, add, raw.add]);

  const disconnect = () => {
    socket.current?.disconnect();
    setState('disconnected');
  };

  const emit = async () => {
    setProblem(undefined);
    const current = socket.current;
    if (!current) return setProblem('Connect first.');
    const parsed = parseJson(session.emitArgs, 'The arguments');
    if (parsed.error) return setProblem(parsed.error);
    const args = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    const event = session.emitEvent.trim();
    if (!event) return setProblem('Name the event to emit.');
    add('→', `${event} ${show(args)}${session.withAck ? ' (asks for an acknowledgement)' : ''}${current.connected ? '' : ' — buffered until connected'}`);
    if (!session.withAck) return void current.emit(event, ...args);
    try {
      const answer: unknown = await current.timeout(10_000).emitWithAck(event, ...args);
      add('←', `acknowledgement of ${event}: ${show([answer])}`);
    } catch {
      add('✘', `no acknowledgement of ${event} within 10 s${noAckExplanation(event, args)}`);
    }
  };

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      add('·', 'link to this session copied');
    } catch {
      add('·', `copy this address to share the session: ${window.location.href}`);
    }
  };

  return (
    <Layout title="Socket Inspector" description="Connect to any Socket.IO server, listen to its events and emit your own.">
      <main className="container margin-vert--lg">
        <h1>Socket Inspector</h1>
        <p>
          Connect to any Socket.IO server — the playground (<code>npm run playground</code>, started with the site by{' '}
          <code>npm start</code>) or your own exercise (<code>npm run dev -- hello-socketio</code> prints a link that
          opens it here). The session is kept in this page&apos;s address: bookmark it or share it.
        </p>
        <div className="row">
          <div className="col col--5">
            <form
              aria-label="Connection"
              onSubmit={(event) => {
                event.preventDefault();
                connect();
              }}
            >
              <div className={styles.row}>
                <label htmlFor={ids.url}>Server URL</label>
                <input id={ids.url} className={styles.input} style={{ flex: 1 }} value={session.url} onChange={(e) => update('url', e.target.value)} />
              </div>
              <div className={styles.row}>
                <label htmlFor={ids.namespace}>Namespace</label>
                <input id={ids.namespace} className={styles.input} value={session.namespace} onChange={(e) => update('namespace', e.target.value)} />
              </div>
              <label htmlFor={ids.options}>
                Options (JSON: <code>path</code>, <code>transports</code>, <code>auth</code>, <code>query</code>, <code>reconnection</code>…)
              </label>
              <textarea id={ids.options} className={styles.textarea} rows={6} value={session.options} onChange={(e) => update('options', e.target.value)} spellCheck={false} />
              <fieldset className="margin-vert--sm">
                <legend>Listen to</legend>
                <div className={styles.row}>
                  <label>
                    <input type="radio" name="listen" checked={session.listenAll} onChange={() => update('listenAll', true)} /> every event (<code>onAny</code>)
                  </label>
                  <label>
                    <input type="radio" name="listen" checked={!session.listenAll} onChange={() => update('listenAll', false)} /> only these:
                  </label>
                  <input
                    id={ids.events}
                    aria-label="Event names to listen to, separated by commas"
                    className={styles.input}
                    placeholder="welcome, tick"
                    value={session.events}
                    disabled={session.listenAll}
                    onChange={(e) => update('events', e.target.value)}
                  />
                </div>
              </fieldset>
              <div className={styles.row}>
                <button type="submit" className="button button--primary">
                  {state === 'disconnected' ? 'Connect' : 'Reconnect'}
                </button>
                <button type="button" className="button button--secondary" onClick={disconnect} disabled={state === 'disconnected'}>
                  Disconnect
                </button>
                <button type="button" className="button button--link" onClick={() => void copyLink()}>
                  Copy link to this session
                </button>
              </div>
            </form>

            <form
              aria-label="Emit"
              className="margin-top--md"
              onSubmit={(event) => {
                event.preventDefault();
                void emit();
              }}
            >
              <h2>Emit</h2>
              <div className={styles.row}>
                <label htmlFor={ids.emitEvent}>Event</label>
                <input id={ids.emitEvent} className={styles.input} value={session.emitEvent} onChange={(e) => update('emitEvent', e.target.value)} />
              </div>
              <label htmlFor={ids.emitArgs}>Arguments (a JSON array: one element per argument)</label>
              <textarea id={ids.emitArgs} className={styles.textarea} rows={3} value={session.emitArgs} onChange={(e) => update('emitArgs', e.target.value)} spellCheck={false} />
              <div className={styles.row}>
                <label>
                  <input type="checkbox" checked={session.withAck} onChange={(e) => update('withAck', e.target.checked)} /> ask for an acknowledgement
                </label>
                <button type="submit" className="button button--primary" disabled={state === 'disconnected'}>
                  Emit
                </button>
              </div>
            </form>
            {problem && (
              <div className="alert alert--danger" role="alert">
                {problem}
              </div>
            )}
          </div>
          <div className="col col--7">
            <h2>Log</h2>
            <StatusLine state={state} transport={transport} id={state === 'connected' ? socketId : undefined} />
            <div className={styles.columns}>
              <div>
                <h3 className={styles.title}>Decoded</h3>
                <LogList entries={entries} label="Everything in and out" />
              </div>
              <div>
                <h3 className={styles.title}>Raw packets</h3>
                <LogList entries={raw.entries} label="Raw packets, as they cross the wire" />
              </div>
            </div>
            <p className={styles.note}>
              A raw packet is what the connection carries: the Engine.IO type (<code>4</code> message,{' '}
              <code>2</code> ping, <code>3</code> pong…), then for a message the Socket.IO packet: its type (
              <code>2</code> EVENT, <code>3</code> ACK), the acknowledgement id if any, and the JSON, as in{' '}
              <code>420[&quot;echo&quot;,&quot;hello&quot;]</code>. (The probe packets of the upgrade to WebSocket are not shown.)
            </p>
            <button
              type="button"
              className="button button--link button--sm"
              onClick={() => {
                clear();
                raw.clear();
              }}
            >
              Clear the logs
            </button>
          </div>
        </div>
      </main>
    </Layout>
  );
}
