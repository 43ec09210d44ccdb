import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import { useCallback, useEffect, useRef, useState } from 'react';
import { FrameBuilder, fieldsOfFrame, initialBuilderFields, type BuilderFields } from '../components/FrameDecoder/FrameBuilder';
import { FrameDecoder, type DecoderInput } from '../components/FrameDecoder/FrameDecoder';
import type { DecodedFrame } from '../components/FrameDecoder/frame-codec';
import { formatHex } from '../components/FrameDecoder/hex';
import live from '../components/live/live.module.css';

const firstExample = '81 85 37 fa 21 3d 7f 9f 4d 51 58';

/**
 * The WebSocket frame decoder: paste bytes and read every field, or fill in the
 * fields and get the bytes. Everything runs in the page; `?hex=…` in the address
 * opens it with those bytes.
 */
export default function FrameDecoderPage() {
  const [input, setInput] = useState<DecoderInput>({ chunks: [], current: firstExample });
  const [fields, setFields] = useState<BuilderFields>(initialBuilderFields);
  const decoderInput = useRef<HTMLTextAreaElement>(null);
  const builder = useRef<HTMLDivElement>(null);

  // The address is read once in the browser (it does not exist while the site is built) …
  useEffect(() => {
    const hex = new URLSearchParams(window.location.search).get('hex');
    if (hex !== null) setInput({ chunks: [], current: hex });
  }, []);
  // … and follows the bytes typed, for sharing, without adding to the history.
  const changeInput = useCallback((next: DecoderInput) => {
    setInput(next);
    const address = new URL(window.location.href);
    address.searchParams.set('hex', next.current.replace(/\s+/g, ' ').trim());
    window.history.replaceState(null, '', address);
  }, []);

  const decode = useCallback((bytes: Uint8Array) => {
    changeInput({ chunks: [], current: formatHex(bytes) });
    decoderInput.current?.focus();
    decoderInput.current?.scrollIntoView({ block: 'center' });
  }, [changeInput]);
  const edit = useCallback((frame: DecodedFrame) => {
    setFields(fieldsOfFrame(frame));
    builder.current?.scrollIntoView({ block: 'start' });
    builder.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, []);

  return (
    <Layout title="WebSocket frame decoder" description="Paste a WebSocket frame in hex and read FIN, RSV, opcode, MASK, the payload length and its encoding, the masking key and the payload; or build a frame from its fields.">
      <main className="container margin-vert--lg">
        <h1>WebSocket frame decoder</h1>
        <p>
          Paste the bytes of one or more WebSocket frames and read every field of RFC 6455 §5.2, or build a frame from its fields and get its bytes. A rule the bytes break is named with its
          section. Nothing leaves this page. The fields are explained in the{' '}
          <Link className={live.inlineLink} to="/lessons/websocket#frame-anatomy">
            WebSocket lesson
          </Link>
          ; the{' '}
          <Link className={live.inlineLink} to="/exercises/ws-frames">
            ws-frames exercise
          </Link>{' '}
          has you write the same decoder.
        </p>
        <h2>Decode bytes</h2>
        <p>
          TCP delivers bytes, not frames: a frame can arrive in pieces, and one read can hold several frames. Paste a piece, keep it, and paste the next; the decoder reads them as one stream.
        </p>
        <FrameDecoder input={input} onChange={changeInput} onEdit={edit} inputRef={decoderInput} />
        <h2>Build a frame</h2>
        <div ref={builder}>
          <FrameBuilder fields={fields} onChange={setFields} onDecode={decode} />
        </div>
      </main>
    </Layout>
  );
}
