import { useEffect, useState } from 'react';
import { playgroundSocket } from './playground';
import { LogList, PlaygroundMissing, StatusLine, useConnection, useLog, useNearViewport, useSocket, Widget } from './shared';
import styles from './live.module.css';

/** How long the cut lasts: the client waits this long before reconnecting. */
const CUT_MS = 3000;

/**
 * Cut the connection and watch nothing get lost: the client buffers what you emit
 * while it is cut and sends it on reconnection, and the playground (with Socket.IO's
 * connection state recovery) replays the clock ticks you missed.
 */
export default function ReconnectDemo() {
  const widget = useNearViewport();
  const socket = useSocket(() => playgroundSocket({ path: '/recovery/', reconnectionDelay: CUT_MS, randomizationFactor: 0 }), widget.near);
  const { state, setState, transport, error } = useConnection(socket);
  const { entries, add } = useLog();
  const [buffered, setBuffered] = useState(0);
  const [sent, setSent] = useState(0);

  useEffect(() => {
    if (!socket) return;
    const onConnect = () => {
      add('·', socket.recovered ? 'reconnected, and recovered: the server replays what it sent during the cut' : `connected as ${socket.id}`);
      setBuffered(0);
      if (!socket.recovered) void socket.emitWithAck('clock:subscribe');
    };
    const onDisconnect = (reason: string) => add('·', `disconnected (${reason}); reconnecting in ${CUT_MS / 1000} s…`);
    const onTick = ({ n }: { n: number }) => add('←', `tick #${n}`);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('tick', onTick);
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('tick', onTick);
    };
  }, [socket, add]);

  const cut = () => {
    add('✘', 'connection cut with socket.io.engine.close(): a forced close (a dropped network would show transport close or ping timeout)');
    socket?.io.engine?.close();
  };
  const emit = () => {
    if (!socket) return;
    const n = sent + 1;
    setSent(n);
    const offline = !socket.connected;
    add('→', `echo "message ${n}"${offline ? ' — buffered: the socket is cut' : ''}`);
    if (offline) setBuffered((count) => count + 1);
    socket.emit('echo', `message ${n}`, (answer: { echo: string }) => add('←', `acknowledgement of ${JSON.stringify(answer.echo)}`));
  };

  return (
    <Widget title="Live: cut the connection, lose nothing" ref={widget.ref}>
      <PlaygroundMissing error={state === 'connected' ? undefined : error} />
      <StatusLine state={state} transport={transport} id={state === 'connected' ? socket?.id : undefined} />
      <div className={styles.row}>
        <button
          type="button"
          className="button button--primary button--sm"
          onClick={() => {
            setState('connecting');
            socket?.connect();
          }}
          disabled={!socket || state === 'connected'}
        >
          Connect and follow the clock
        </button>
        <button type="button" className="button button--danger button--sm" onClick={cut} disabled={state !== 'connected'}>
          Cut the connection for {CUT_MS / 1000} s
        </button>
        <button type="button" className="button button--secondary button--sm" onClick={emit} disabled={!socket || state === 'disconnected'}>
          Emit a message
        </button>
        <span role="status" aria-live="polite">
          buffered in the client: <strong data-buffered={buffered}>{buffered}</strong>
        </span>
      </div>
      <LogList entries={entries} label="Reconnection demo log" />
    </Widget>
  );
}
