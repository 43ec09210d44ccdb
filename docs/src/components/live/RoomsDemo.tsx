import { useEffect, useId, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { playgroundSocket, show } from './playground';
import { LogList, PlaygroundMissing, StatusLine, useConnection, useLog, useNearViewport, useSocket, Widget } from './shared';
import styles from './live.module.css';

const ROOM = 'lobby';

/** One of the two side-by-side clients. */
function Client({ name, socket }: { name: string; socket: Socket | undefined }) {
  const { state, transport } = useConnection(socket);
  const { entries, add } = useLog();
  const [text, setText] = useState(`hi from ${name}`);
  const [inRoom, setInRoom] = useState(false);
  const inputId = useId();

  useEffect(() => {
    if (!socket) return;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- socket.io-client types listeners as (...args: any[])
    const handlers: Record<string, (...args: any[]) => void> = {
      broadcast: ({ payload }: { payload: unknown }) => add('←', `broadcast ${show([payload])}`),
      'room:message': ({ room, text: said }: { room: string; text: string }) => add('←', `room:message in "${room}": ${show([said])}`),
      'room:joined': ({ room }: { room: string }) => add('←', `someone joined "${room}"`),
      'room:left': ({ room }: { room: string }) => add('←', `someone left "${room}"`),
      disconnect: () => setInRoom(false),
    };
    for (const [event, handler] of Object.entries(handlers)) socket.on(event, handler);
    return () => {
      for (const [event, handler] of Object.entries(handlers)) socket.off(event, handler);
    };
  }, [socket, add]);

  const broadcast = async () => {
    add('→', `broadcast ${show([text])}`);
    await socket?.timeout(5000).emitWithAck('broadcast', text).catch(() => add('✘', 'no acknowledgement'));
  };
  const toggleRoom = async () => {
    const event = inRoom ? 'room:leave' : 'room:join';
    add('→', `${event} "${ROOM}"`);
    const answer = (await socket?.timeout(5000).emitWithAck(event, ROOM).catch(() => undefined)) as { ok?: boolean } | undefined;
    if (answer?.ok) setInRoom(!inRoom);
  };
  const sayInRoom = async () => {
    add('→', `room:message to "${ROOM}" ${show([text])}`);
    const answer = (await socket?.timeout(5000).emitWithAck('room:message', { room: ROOM, text }).catch(() => undefined)) as { ok?: boolean; error?: string } | undefined;
    if (answer && !answer.ok) add('✘', `refused: ${answer.error}`);
  };

  const connected = state === 'connected';
  return (
    <div className={styles.panel}>
      <h4>{name}</h4>
      <StatusLine state={state} transport={transport} />
      <div className={styles.row}>
        <label htmlFor={inputId}>Message</label>
        <input id={inputId} className={styles.input} value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      <div className={styles.row}>
        <button type="button" className="button button--primary button--sm" onClick={() => void broadcast()} disabled={!connected}>
          Broadcast to others
        </button>
        <button type="button" className="button button--secondary button--sm" aria-pressed={inRoom} onClick={() => void toggleRoom()} disabled={!connected}>
          {inRoom ? `Leave "${ROOM}"` : `Join "${ROOM}"`}
        </button>
        <button type="button" className="button button--secondary button--sm" onClick={() => void sayInRoom()} disabled={!connected}>
          Say in "{ROOM}"
        </button>
      </div>
      <LogList entries={entries} label={`${name}'s log`} />
    </div>
  );
}

/**
 * Two clients side by side: a broadcast from one reaches the other (never its
 * sender); a room message reaches the members of the room only.
 */
export default function RoomsDemo() {
  const widget = useNearViewport();
  const alice = useSocket(() => playgroundSocket(), widget.near);
  const bob = useSocket(() => playgroundSocket(), widget.near);
  const { state, error } = useConnection(alice);
  const connectBoth = () => {
    alice?.connect();
    bob?.connect();
  };
  const disconnectBoth = () => {
    alice?.disconnect();
    bob?.disconnect();
  };
  return (
    <Widget title="Live: broadcast and rooms, two clients side by side" ref={widget.ref}>
      <PlaygroundMissing error={state === 'connected' ? undefined : error} />
      <div className={styles.row}>
        <button type="button" className="button button--primary button--sm" onClick={connectBoth}>
          Connect both
        </button>
        <button type="button" className="button button--secondary button--sm" onClick={disconnectBoth}>
          Disconnect both
        </button>
      </div>
      <div className={styles.columns}>
        <Client name="Alice" socket={alice} />
        <Client name="Bob" socket={bob} />
      </div>
    </Widget>
  );
}
