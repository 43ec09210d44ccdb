import { useEffect, useId, useState } from 'react';
import { playgroundSocket, show } from './playground';
import { LogList, PlaygroundMissing, StatusLine, useConnection, useLog, useNearViewport, useSocket, Widget } from './shared';
import styles from './live.module.css';

/**
 * Connect to the playground, disconnect, and emit `echo` with an acknowledgement:
 * the round trip of one event and its answer, timed.
 */
export default function ConnectDemo() {
  const widget = useNearViewport();
  const socket = useSocket(() => playgroundSocket(), widget.near);
  const { state, setState, transport, error } = useConnection(socket);
  const { entries, add } = useLog();
  const [text, setText] = useState('hello');
  const inputId = useId();

  useEffect(() => {
    if (!socket) return;
    const onConnect = () => add('·', `connected as ${socket.id}`);
    const onDisconnect = (reason: string) => add('·', `disconnected: ${reason}`);
    const onWelcome = (welcome: unknown) => add('←', `welcome ${show([welcome])}`);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('welcome', onWelcome);
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('welcome', onWelcome);
    };
  }, [socket, add]);

  const connect = () => {
    setState('connecting');
    socket?.connect();
  };
  const emit = async () => {
    if (!socket) return;
    const started = performance.now();
    add('→', `echo ${show([text])} (asks for an acknowledgement)`);
    try {
      const answer: unknown = await socket.timeout(5000).emitWithAck('echo', text);
      add('←', `acknowledgement ${show([answer])} after ${Math.round(performance.now() - started)} ms`);
    } catch {
      add('✘', 'no acknowledgement within 5 s');
    }
  };

  return (
    <Widget title="Live: connect, emit, get an acknowledgement" ref={widget.ref}>
      <PlaygroundMissing error={state === 'connected' ? undefined : error} />
      <StatusLine state={state} transport={transport} id={state === 'connected' ? socket?.id : undefined} />
      <div className={styles.row}>
        <button type="button" className="button button--primary button--sm" onClick={connect} disabled={!socket || state === 'connected'}>
          Connect
        </button>
        <button type="button" className="button button--secondary button--sm" onClick={() => socket?.disconnect()} disabled={!socket || state === 'disconnected'}>
          Disconnect
        </button>
      </div>
      <form
        className={styles.row}
        onSubmit={(event) => {
          event.preventDefault();
          void emit();
        }}
      >
        <label htmlFor={inputId}>Text</label>
        <input id={inputId} className={styles.input} value={text} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="button button--primary button--sm" disabled={state !== 'connected'}>
          Emit echo with acknowledgement
        </button>
      </form>
      <LogList entries={entries} label="Connection demo log" />
    </Widget>
  );
}
