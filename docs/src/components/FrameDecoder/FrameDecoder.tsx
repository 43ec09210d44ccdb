import { useId, useMemo, type Ref } from 'react';
import { concatBytes, decodeStream, type DecodedFrame, type StreamDecode } from './frame-codec';
import { HexInputError, parseHex } from './hex';
import { FrameView } from './FrameView';
import live from '../live/live.module.css';
import styles from './FrameDecoder.module.css';

/** What the decoder holds: the chunks already kept (earlier pastes) and the one being typed. */
export interface DecoderInput {
  readonly chunks: readonly Uint8Array[];
  readonly current: string;
}

/** RFC 6455 §5.7's examples, and a few frames broken on purpose. */
const examples: ReadonlyArray<{ label: string; hex: string }> = [
  { label: 'Unmasked "Hello"', hex: '81 05 48 65 6c 6c 6f' },
  { label: 'Masked "Hello"', hex: '81 85 37 fa 21 3d 7f 9f 4d 51 58' },
  { label: '"Hel" + "lo" in two fragments', hex: '01 03 48 65 6c 80 02 6c 6f' },
  { label: 'Ping "Hello"', hex: '89 05 48 65 6c 6c 6f' },
  { label: 'Masked pong "Hello"', hex: '8a 85 37 fa 21 3d 7f 9f 4d 51 58' },
  { label: 'Close 1000 "bye"', hex: '88 05 03 e8 62 79 65' },
  { label: '256 bytes, 16-bit length', hex: `82 7e 01 00 ${'00 '.repeat(256).trim()}` },
];

const broken: ReadonlyArray<{ label: string; hex: string }> = [
  { label: 'RSV1 set', hex: 'c1 05 48 65 6c 6c 6f' },
  { label: 'Opcode 3', hex: '83 00' },
  { label: 'Fragmented ping', hex: '09 00' },
  { label: '5 in 16 bits', hex: '81 7e 00 05 48 65 6c 6c 6f' },
  { label: 'Cut short', hex: '81 85 37 fa 21 3d 7f 9f' },
];

interface Decoded {
  readonly result?: StreamDecode;
  readonly inputError?: string;
  readonly total: number;
}

function decode(input: DecoderInput): Decoded {
  let current: Uint8Array;
  try {
    current = parseHex(input.current);
  } catch (error) {
    if (error instanceof HexInputError) return { inputError: error.message, total: 0 };
    throw error;
  }
  const stream = concatBytes([...input.chunks, current]);
  return { result: stream.length > 0 ? decodeStream(stream) : undefined, total: stream.length };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary({ result, total }: Decoded): string {
  if (!result) return 'Paste bytes above, or pick an example.';
  const parts = [`${plural(total, 'byte')}: ${plural(result.frames.length, 'frame')}`];
  if (result.messages.length > 0) parts.push(`${plural(result.messages.length, 'complete message')}`);
  if (result.violation) parts.push(`then a broken rule (RFC 6455 ${result.violation.section})`);
  if (result.truncated) parts.push(`then an unfinished frame: ${result.truncated.exact ? '' : 'at least '}${plural(result.truncated.missing, 'byte')} missing`);
  return `${parts.join(', ')}.`;
}

function ExampleList({ title, examples: list, onPick }: { title: string; examples: ReadonlyArray<{ label: string; hex: string }>; onPick: (hex: string) => void }) {
  const id = useId();
  return (
    <>
      <span id={id}>{title}</span>
      <ul aria-labelledby={id}>
        {list.map((example) => (
          <li key={example.label}>
            <button type="button" className="button button--sm button--outline button--primary" onClick={() => onPick(example.hex)}>
              {example.label}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Paste hex, see every field of every frame. A frame split across pastes is
 * handled as TCP delivers it: keep what arrived, paste the next chunk.
 */
export function FrameDecoder({ input, onChange, onEdit, inputRef }: { input: DecoderInput; onChange: (input: DecoderInput) => void; onEdit: (frame: DecodedFrame) => void; inputRef?: Ref<HTMLTextAreaElement> }) {
  const ids = { input: useId(), help: useId(), error: useId() };
  const decoded = useMemo(() => decode(input), [input]);
  const { result, inputError } = decoded;
  const keptBytes = input.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const canKeep = !inputError && input.current.trim() !== '';

  return (
    <section className={live.widget} aria-label="Decode bytes">
      <label htmlFor={ids.input} className={styles.label}>
        {input.chunks.length === 0 ? 'Frame bytes, in hex' : `Chunk ${input.chunks.length + 1}, in hex (after the ${plural(keptBytes, 'byte')} kept)`}
      </label>
      <p id={ids.help} className={live.note}>
        Spaces, newlines, commas and <code>0x</code> are fine: <code>81 05 48 65</code>, <code>0x81, 0x05</code> and <code>81054865</code> read alike.
      </p>
      <textarea
        id={ids.input}
        ref={inputRef}
        className={live.textarea}
        rows={3}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        value={input.current}
        aria-describedby={inputError ? `${ids.help} ${ids.error}` : ids.help}
        aria-invalid={inputError ? true : undefined}
        onChange={(event) => onChange({ chunks: input.chunks, current: event.target.value })}
      />
      {inputError && (
        <p id={ids.error} role="alert" className={styles.error}>
          {inputError}
        </p>
      )}
      <div className={live.row}>
        <button type="button" className="button button--sm button--primary" disabled={!canKeep} onClick={() => onChange({ chunks: [...input.chunks, parseHex(input.current)], current: '' })}>
          Keep these bytes, paste the next chunk
        </button>
        <button type="button" className="button button--sm button--secondary" disabled={input.chunks.length === 0 && input.current === ''} onClick={() => onChange({ chunks: [], current: '' })}>
          Start over
        </button>
      </div>
      <div className={styles.examples}>
        <ExampleList title="RFC 6455 §5.7 examples:" examples={examples} onPick={(hex) => onChange({ chunks: [], current: hex })} />
        <ExampleList title="Broken on purpose:" examples={broken} onPick={(hex) => onChange({ chunks: [], current: hex })} />
      </div>

      <p role="status" className={styles.summary} data-summary>
        {inputError ? 'The bytes above are not hex yet.' : summary(decoded)}
      </p>
      {result?.frames.map((frame, index) => <FrameView key={`${frame.offset}-${frame.bytes.length}`} frame={frame} index={index} onEdit={onEdit} />)}
      {result && result.messages.length > 0 && (
        <div className={styles.messages}>
          <h3 className={styles.frameTitle}>Messages</h3>
          <ol>
            {result.messages.map((message) => (
              <li key={message.frames.join(',')} data-message>
                {message.type}, {plural(message.payload.length, 'byte')}
                {message.frames.length > 1 ? `, from frames ${message.frames.map((i) => i + 1).join(' + ')}` : ''}
                {message.text !== undefined ? `: ${JSON.stringify(message.text)}` : ''}
              </li>
            ))}
          </ol>
        </div>
      )}
      {result?.violation && (
        <div role="alert" className={styles.violation} data-violation={result.violation.rule}>
          <strong>
            Byte {result.violation.offset} breaks RFC 6455 {result.violation.section}.
          </strong>{' '}
          {result.violation.message} A receiver fails the connection here (§7.1.7): nothing after it is read.
        </div>
      )}
      {result?.truncated && (
        <div className={styles.truncated} data-truncated={result.truncated.missing}>
          {result.truncated.message}
        </div>
      )}
    </section>
  );
}
