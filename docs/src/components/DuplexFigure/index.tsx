import styles from './DuplexFigure.module.css';

/** Messages as arrows on two timelines: [start, end] in time units, and who sends. */
type Message = { from: 'A' | 'B'; start: number; end: number; label: string };

const halfDuplex: Message[] = [
  { from: 'A', start: 0, end: 2, label: 'request' },
  { from: 'B', start: 2.4, end: 4.4, label: 'response' },
  { from: 'A', start: 4.8, end: 6.8, label: 'request' },
  { from: 'B', start: 7.2, end: 9.2, label: 'response' },
];
const fullDuplex: Message[] = [
  { from: 'A', start: 0, end: 2, label: 'message' },
  { from: 'B', start: 0.6, end: 2.6, label: 'message' },
  { from: 'B', start: 3, end: 5, label: 'message' },
  { from: 'A', start: 3.6, end: 5.6, label: 'message' },
  { from: 'B', start: 6.2, end: 8.2, label: 'message' },
  { from: 'A', start: 6.8, end: 8.8, label: 'message' },
];

const width = 640;
const laneTop = 40;
const laneGap = 70;
const x = (t: number) => 90 + t * 54;

function Panel({ title, caption, messages, y }: { title: string; caption: string; messages: Message[]; y: number }) {
  const top = y + laneTop;
  const bottom = top + laneGap;
  return (
    <g data-panel={title}>
      <text x={12} y={y + 16} className={styles.title}>
        {title}
      </text>
      <text x={12} y={top + 5} className={styles.peer}>
        Client
      </text>
      <text x={12} y={bottom + 5} className={styles.peer}>
        Server
      </text>
      <line x1={x(0)} y1={top} x2={width - 12} y2={top} className={styles.lifeline} />
      <line x1={x(0)} y1={bottom} x2={width - 12} y2={bottom} className={styles.lifeline} />
      <text x={x(0)} y={bottom + 26} className={styles.note}>
        {caption}
      </text>
      {messages.map((message, index) => {
        const [y1, y2] = message.from === 'A' ? [top, bottom] : [bottom, top];
        return (
          <g key={index} className={message.from === 'A' ? styles.up : styles.down}>
            <line x1={x(message.start)} y1={y1} x2={x(message.end)} y2={y2} markerEnd="url(#duplex-arrow)" />
            {/* Beside the sender's end of the arrow, so crossing arrows keep their labels apart. */}
            <text x={x(message.start) + (message.from === 'A' ? 24 : 18)} y={message.from === 'A' ? top + 24 : bottom - 16} className={styles.label}>
              {message.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/**
 * Half-duplex (one direction at a time, like HTTP/1.1's request then response, or
 * a walkie-talkie) against full-duplex (both directions at once, like a TCP
 * connection or a WebSocket). Scrolls sideways on a narrow screen rather than
 * shrinking its text.
 */
export default function DuplexFigure() {
  return (
    <figure className={styles.figure} data-figure="duplex">
      <div className={styles.scroller} tabIndex={0} role="group" aria-label="Half-duplex and full-duplex timelines (scrolls sideways)">
        <svg viewBox={`0 0 ${width} 300`} className={styles.svg} role="img" aria-labelledby="duplex-title">
          <title id="duplex-title">
            Half-duplex: the client sends a request, then the server answers, one direction at a time. Full-duplex: client and server send whenever they
            like, at the same time.
          </title>
          <defs>
            <marker id="duplex-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHead} />
            </marker>
          </defs>
          <Panel title="Half-duplex: HTTP/1.1 request, response" caption="one direction at a time; the server only answers" messages={halfDuplex} y={0} />
          <Panel title="Full-duplex: TCP, WebSocket" caption="both directions at once, each side speaks first" messages={fullDuplex} y={150} />
        </svg>
      </div>
      <figcaption className={styles.caption}>Time runs left to right. Each arrow is one message crossing the network, so it arrives later than it left.</figcaption>
    </figure>
  );
}
