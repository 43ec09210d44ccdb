import { useId, useMemo } from 'react';
import { closePayload, encodeFrame, FrameFieldError, opcodeName, shortestEncoding, utf8OrUndefined, type DecodedFrame, type LengthEncoding } from './frame-codec';
import { formatHex, HexInputError, parseHex } from './hex';
import live from '../live/live.module.css';
import styles from './FrameDecoder.module.css';

/** The builder's form, as typed: text fields stay text until the frame is built. */
export interface BuilderFields {
  readonly fin: boolean;
  readonly rsv1: boolean;
  readonly rsv2: boolean;
  readonly rsv3: boolean;
  readonly opcode: number;
  readonly masked: boolean;
  /** Hex, 4 bytes. */
  readonly key: string;
  readonly lengthEncoding: 'shortest' | LengthEncoding;
  readonly payloadAs: 'text' | 'hex' | 'close';
  readonly payload: string;
  readonly closeCode: string;
  readonly closeReason: string;
}

export const initialBuilderFields: BuilderFields = {
  fin: true,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  opcode: 0x1,
  masked: true,
  key: '37 fa 21 3d',
  lengthEncoding: 'shortest',
  payloadAs: 'text',
  payload: 'Hello',
  closeCode: '1000',
  closeReason: 'bye',
};

/** The form that gives back `frame`'s bytes: the decoder's "edit" button. */
export function fieldsOfFrame(frame: DecodedFrame): BuilderFields {
  const asText = frame.opcode !== 2 && frame.text !== undefined && !frame.close;
  return {
    fin: frame.fin,
    rsv1: frame.rsv1,
    rsv2: frame.rsv2,
    rsv3: frame.rsv3,
    opcode: frame.opcode,
    masked: frame.maskingKey !== undefined,
    key: frame.maskingKey ? formatHex(frame.maskingKey) : initialBuilderFields.key,
    lengthEncoding: frame.lengthEncoding === shortestEncoding(frame.payload.length) ? 'shortest' : frame.lengthEncoding,
    payloadAs: frame.close?.code !== undefined ? 'close' : asText ? 'text' : 'hex',
    payload: asText ? (frame.text ?? '') : formatHex(frame.payload),
    closeCode: String(frame.close?.code ?? initialBuilderFields.closeCode),
    closeReason: frame.close?.reason ?? '',
  };
}

/** The bytes the form describes, or what stops them from being written. */
function build(fields: BuilderFields): { bytes: Uint8Array } | { error: string } {
  try {
    let payload: Uint8Array;
    if (fields.payloadAs === 'text') payload = new TextEncoder().encode(fields.payload);
    else if (fields.payloadAs === 'hex') payload = parseHex(fields.payload);
    else {
      const code = Number(fields.closeCode);
      if (!Number.isInteger(code) || code < 0 || code > 0xffff) return { error: `A status code is a 16-bit number (0 to 65535), not "${fields.closeCode}".` };
      payload = closePayload(code, fields.closeReason);
    }
    const maskingKey = fields.masked ? parseHex(fields.key) : undefined;
    const lengthEncoding = fields.lengthEncoding === 'shortest' ? undefined : fields.lengthEncoding;
    return { bytes: encodeFrame({ ...fields, maskingKey, payload }, lengthEncoding) };
  } catch (error) {
    if (error instanceof FrameFieldError || error instanceof HexInputError) return { error: error.message };
    throw error;
  }
}

function randomKey(): string {
  return formatHex(crypto.getRandomValues(new Uint8Array(4)));
}

const opcodes = Array.from({ length: 16 }, (_, code) => code);

/**
 * Fill in a frame's fields, get its bytes. Frames that break a rule can be built
 * too (RSV set, a long length form, a reserved opcode): decoding them says which.
 */
export function FrameBuilder({ fields, onChange, onDecode }: { fields: BuilderFields; onChange: (fields: BuilderFields) => void; onDecode: (bytes: Uint8Array) => void }) {
  const id = useId();
  const built = useMemo(() => build(fields), [fields]);
  const set = <K extends keyof BuilderFields>(key: K, value: BuilderFields[K]) => onChange({ ...fields, [key]: value });
  const textNotUtf8 = fields.payloadAs === 'hex' && fields.opcode === 1 && 'bytes' in built && utf8OrUndefined(parseHexOrEmpty(fields.payload)) === undefined;

  return (
    <form className={live.widget} aria-label="Build a frame" onSubmit={(event) => event.preventDefault()}>
      <fieldset className={styles.fieldset}>
        <legend>Byte 0</legend>
        <div className={live.row}>
          {(['fin', 'rsv1', 'rsv2', 'rsv3'] as const).map((flag) => (
            <label key={flag}>
              <input type="checkbox" checked={fields[flag]} onChange={(event) => set(flag, event.target.checked)} />
              {flag.toUpperCase()}
            </label>
          ))}
          <label>
            Opcode
            <select className={live.input} value={fields.opcode} onChange={(event) => set('opcode', Number(event.target.value))}>
              {opcodes.map((code) => (
                <option key={code} value={code}>
                  0x{code.toString(16)} {opcodeName(code)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset className={styles.fieldset}>
        <legend>Byte 1 and the rest of the header</legend>
        <div className={live.row}>
          <label>
            <input type="checkbox" checked={fields.masked} onChange={(event) => set('masked', event.target.checked)} />
            MASK
          </label>
          <label>
            Masking key
            <input className={`${live.input} ${styles.key}`} value={fields.key} disabled={!fields.masked} spellCheck={false} autoComplete="off" onChange={(event) => set('key', event.target.value)} />
          </label>
          <button type="button" className="button button--sm button--secondary" disabled={!fields.masked} onClick={() => set('key', randomKey())}>
            New random key
          </button>
        </div>
        <div className={live.row}>
          <label>
            Length encoding
            <select className={live.input} value={fields.lengthEncoding} onChange={(event) => set('lengthEncoding', event.target.value as BuilderFields['lengthEncoding'])}>
              <option value="shortest">shortest (RFC 6455 requires it)</option>
              <option value="7-bit">7-bit (0–125)</option>
              <option value="16-bit">16-bit (126–65 535)</option>
              <option value="64-bit">64-bit (65 536 and more)</option>
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset className={styles.fieldset}>
        <legend>Payload</legend>
        <div className={live.row} role="radiogroup" aria-label="Payload written as">
          {(
            [
              ['text', 'text (UTF-8)'],
              ['hex', 'bytes (hex)'],
              ['close', 'close code and reason'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input type="radio" name={`${id}-payload-as`} value={value} checked={fields.payloadAs === value} onChange={() => set('payloadAs', value)} />
              {label}
            </label>
          ))}
        </div>
        {fields.payloadAs === 'close' ? (
          <div className={live.row}>
            <label>
              Status code
              <input className={`${live.input} ${styles.code}`} inputMode="numeric" value={fields.closeCode} onChange={(event) => set('closeCode', event.target.value)} />
            </label>
            <label>
              Reason
              <input className={live.input} value={fields.closeReason} onChange={(event) => set('closeReason', event.target.value)} />
            </label>
          </div>
        ) : (
          <label className={styles.stacked}>
            {fields.payloadAs === 'text' ? 'Payload text' : 'Payload bytes, in hex'}
            <textarea className={live.textarea} rows={2} spellCheck={false} value={fields.payload} onChange={(event) => set('payload', event.target.value)} />
          </label>
        )}
        {textNotUtf8 && <p className={live.note}>These bytes are not valid UTF-8: a text frame carrying them breaks RFC 6455 §8.1.</p>}
      </fieldset>

      {'error' in built ? (
        <p role="alert" className={styles.error}>
          {built.error}
        </p>
      ) : (
        <>
          <label htmlFor={`${id}-bytes`} className={styles.label}>
            The frame's bytes ({built.bytes.length})
          </label>
          <output id={`${id}-bytes`} className={styles.output} aria-live="polite" data-built-bytes>
            {formatHex(built.bytes)}
          </output>
          <div className={live.row}>
            <button type="button" className="button button--sm button--primary" onClick={() => onDecode(built.bytes)}>
              Decode these bytes
            </button>
          </div>
        </>
      )}
    </form>
  );
}

function parseHexOrEmpty(text: string): Uint8Array {
  try {
    return parseHex(text);
  } catch {
    return new Uint8Array(0);
  }
}
