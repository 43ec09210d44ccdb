import measurements from './measurements.json';
import styles from './TransportChart.module.css';

const labels: Record<string, string> = {
  'short-polling': 'Short polling',
  'long-polling': 'Long-polling',
  sse: 'Server-Sent Events',
  websocket: 'WebSocket',
};

interface Row {
  technique: string;
  bytesPerMessage: number;
  payloadBytes: number;
  requests: number;
  messages: number;
  latencyMs: { median: number; p95: number };
}

/** One horizontal bar per technique; `value` sets the bar's length against `max`. */
function Bars({ title, rows, value, format, unit }: { title: string; rows: Row[]; value: (row: Row) => number; format: (row: Row) => string; unit: string }) {
  const max = Math.max(...rows.map(value));
  return (
    <div className={styles.group}>
      <h4 className={styles.groupTitle}>{title}</h4>
      <ul className={styles.bars} aria-label={`${title}, in ${unit}`}>
        {rows.map((row) => (
          <li key={row.technique} className={styles.row} data-technique={row.technique}>
            <span className={styles.label}>{labels[row.technique] ?? row.technique}</span>
            <span className={styles.track}>
              <span className={styles.bar} data-kind={row.technique} style={{ width: `${Math.max(0.5, (value(row) / max) * 100)}%` }} />
            </span>
            <span className={styles.value}>{format(row)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The "no polling" chart: bytes and latency per message of four push techniques,
 * as `npm run measure:transports` measured them on loopback (measurements.json).
 */
export default function TransportChart() {
  const { results, settings, machine, measuredAt } = measurements as { results: Row[]; settings: { messages: number; intervalMs: number; pollIntervalMs: number }; machine: { node: string; cpus: number; loadAverage: number[] }; measuredAt: string };
  return (
    <figure className={styles.chart} data-figure="transport-chart">
      <Bars title="Bytes on the wire per message" unit="bytes" rows={results} value={(row) => row.bytesPerMessage} format={(row) => `${row.bytesPerMessage} B`} />
      <Bars
        title="Latency per message (median; p95 in brackets)"
        unit="milliseconds"
        rows={results}
        value={(row) => row.latencyMs.median}
        format={(row) => `${row.latencyMs.median} ms (${row.latencyMs.p95})`}
      />
      <figcaption className={styles.caption}>
        Measured on loopback by <code>npm run measure:transports</code>: {settings.messages} messages of {results[0]?.payloadBytes} bytes of JSON, one every{' '}
        {settings.intervalMs} ms; short polling asks every {settings.pollIntervalMs} ms. Bytes count both directions, headers, empty polls and handshakes
        included. {new Date(measuredAt).toISOString().slice(0, 10)}, Node.js {machine.node}, {machine.cpus} CPUs, load average {machine.loadAverage[0]}.
      </figcaption>
    </figure>
  );
}
