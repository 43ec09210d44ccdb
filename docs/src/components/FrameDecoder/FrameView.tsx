import type { ReactNode } from 'react';
import { isControl, opcodeName, type DecodedFrame } from './frame-codec';
import { formatBits, formatHex } from './hex';
import styles from './FrameDecoder.module.css';

/** Longer payloads are shown by their first bytes, so a 64 KiB frame stays a page, not a book. */
const PREVIEW_BYTES = 64;

function preview(bytes: Uint8Array): string {
  if (bytes.length === 0) return '(empty)';
  const shown = formatHex(bytes.subarray(0, PREVIEW_BYTES));
  return bytes.length > PREVIEW_BYTES ? `${shown} … (${bytes.length - PREVIEW_BYTES} more bytes)` : shown;
}

const bit = (set: boolean) => (set ? '1' : '0');

function Field({ name, field, value, children }: { name: ReactNode; field: string; value: ReactNode; children?: ReactNode }) {
  return (
    <div className={styles.field}>
      <dt>{name}</dt>
      <dd>
        <span className={styles.value} data-field={field}>
          {value}
        </span>
        {children && <span className={styles.meaning}> {children}</span>}
      </dd>
    </div>
  );
}

/** How a payload reads: as text when it is valid UTF-8, else as bytes. */
function payloadText(frame: DecodedFrame): { value: string; as: 'text' | 'hex' } {
  if (frame.close) return { value: frame.close.code === undefined ? '(empty: no status code, reported as 1005)' : `${frame.close.code} ${JSON.stringify(frame.close.reason)}`, as: 'text' };
  if (frame.text !== undefined && frame.payload.length > 0) return { value: JSON.stringify(frame.text), as: 'text' };
  return { value: preview(frame.payload), as: 'hex' };
}

/** One decoded frame: its bytes split by field, then every field with what it means. */
export function FrameView({ frame, index, onEdit }: { frame: DecodedFrame; index: number; onEdit?: (frame: DecodedFrame) => void }) {
  const name = opcodeName(frame.opcode);
  const extended = frame.bytes.subarray(2, frame.headerLength - (frame.maskingKey ? 4 : 0));
  const length7 = frame.bytes[1]! & 0x7f;
  const payload = payloadText(frame);
  const last = frame.offset + frame.bytes.length - 1;
  return (
    <article className={styles.frame} aria-labelledby={`frame-${index}`} data-frame={index}>
      <h3 id={`frame-${index}`} className={styles.frameTitle}>
        Frame {index + 1}: {name}
        {!frame.fin && ' (more fragments follow)'}
        <span className={styles.offsets}>
          {' '}
          · bytes {frame.offset}–{last} · {frame.bytes.length} bytes
        </span>
      </h3>
      <p className={styles.bytes} aria-label="The frame's bytes, by field">
        <span className={styles.part} title="FIN, RSV1–3, opcode">
          {formatHex(frame.bytes.subarray(0, 1))}
        </span>{' '}
        <span className={styles.part} title="MASK, payload length">
          {formatHex(frame.bytes.subarray(1, 2))}
        </span>
        {extended.length > 0 && (
          <>
            {' '}
            <span className={styles.part} title="extended payload length">
              {formatHex(extended)}
            </span>
          </>
        )}
        {frame.maskingKey && (
          <>
            {' '}
            <span className={styles.part} title="masking key">
              {formatHex(frame.maskingKey)}
            </span>
          </>
        )}{' '}
        <span className={styles.part} title="payload">
          {frame.wirePayload.length > 0 ? preview(frame.wirePayload) : ''}
        </span>
      </p>
      <dl className={styles.fields}>
        <Field name="Byte 0" field="byte0" value={formatBits(frame.bytes[0]!)}>
          FIN · RSV1 RSV2 RSV3 · opcode (4 bits)
        </Field>
        <Field name="FIN" field="fin" value={bit(frame.fin)}>
          {frame.fin ? 'the last (or only) frame of its message' : 'more fragments of this message follow'}
        </Field>
        <Field name="RSV1–3" field="rsv" value={`${bit(frame.rsv1)} ${bit(frame.rsv2)} ${bit(frame.rsv3)}`}>
          no extension uses them
        </Field>
        <Field name="Opcode" field="opcode" value={`0x${frame.opcode.toString(16)} ${name}`}>
          {isControl(frame.opcode) ? 'a control frame: at most 125 bytes, never fragmented' : frame.opcode === 0 ? 'continues the message begun before' : 'a data frame'}
        </Field>
        <Field name="Byte 1" field="byte1" value={formatBits(frame.bytes[1]!)}>
          MASK · payload length (7 bits): {length7}
        </Field>
        <Field name="MASK" field="mask" value={bit(frame.maskingKey !== undefined)}>
          {frame.maskingKey ? 'masked: sent by a client (every client frame is, §5.3)' : 'not masked: sent by a server (a server never masks, §5.1)'}
        </Field>
        <Field name="Payload length" field="length" value={frame.payload.length}>
          {frame.lengthEncoding === '7-bit' ? '7-bit: in byte 1 itself (0–125)' : frame.lengthEncoding === '16-bit' ? `16-bit: byte 1 says 126, then ${formatHex(extended)} (126–65 535)` : `64-bit: byte 1 says 127, then ${formatHex(extended)} (65 536 and more)`}
        </Field>
        {frame.maskingKey && <Field name="Masking key" field="key" value={formatHex(frame.maskingKey)} />}
        {frame.maskingKey && (
          <Field name="Payload on the wire" field="wire-payload" value={preview(frame.wirePayload)}>
            masked: byte i XOR key byte i mod 4
          </Field>
        )}
        <Field name={frame.close ? 'Close code and reason' : 'Payload'} field="payload" value={payload.value}>
          {payload.as === 'text' ? (frame.close ? '' : '(UTF-8 text)') : frame.text === undefined && frame.opcode !== 2 && frame.payload.length > 0 ? '(bytes: not valid UTF-8 on its own)' : frame.payload.length > 0 ? '(bytes)' : ''}
        </Field>
      </dl>
      {onEdit && (
        <button type="button" className="button button--sm button--secondary" onClick={() => onEdit(frame)}>
          Edit frame {index + 1} in the builder
        </button>
      )}
    </article>
  );
}
