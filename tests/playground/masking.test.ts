/**
 * The recorder's pure parts: masking secrets, and reading Socket.IO packets off the wire.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { course } from '../../exercises/manifest.ts';
import { repoRoot } from '../../tooling/course/paths.ts';
import { lessons } from '../../tooling/playground/recorder.ts';
import { headerLines, MASK, maskAuth, maskHeaderValue } from '../../tooling/playground/masking.ts';
import { decodeSocketPacket, describeSocketPacket, encodeSocketPacket, maskSocketPacket, truncate } from '../../tooling/playground/wire-packets.ts';

describe('masking', () => {
  test('auth keeps its keys and nesting, never its values', () => {
    expect(maskAuth({ token: 'abc', user: { id: 7, roles: ['admin'] }, none: null })).toEqual({
      token: MASK,
      user: { id: MASK, roles: [MASK] },
      none: MASK,
    });
    expect(maskAuth('just-a-string')).toBe(MASK);
  });

  test('cookies keep their names, credentials keep their scheme', () => {
    expect(maskHeaderValue('Cookie', 'session=s3cr3t; theme=dark')).toBe(`session=${MASK}; theme=${MASK}`);
    expect(maskHeaderValue('set-cookie', 'io=abc; Path=/; HttpOnly')).toBe(`io=${MASK}; Path=/; HttpOnly`);
    expect(maskHeaderValue('Authorization', 'Bearer eyJhbGciOi')).toBe(`Bearer ${MASK}`);
    expect(maskHeaderValue('Proxy-Authorization', 'opaque')).toBe(MASK);
    expect(maskHeaderValue('Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==')).toBe('dGhlIHNhbXBsZSBub25jZQ==');
  });

  test('header lines: every value of a repeated header, secrets masked', () => {
    const lines = headerLines([
      ['Host', '127.0.0.1:3210'],
      ['Set-Cookie', ['a=1', 'b=2; Secure']],
      ['X-Nothing', undefined],
    ]);
    expect(lines).toEqual(['Host: 127.0.0.1:3210', `Set-Cookie: a=${MASK}`, `Set-Cookie: b=${MASK}; Secure`]);
  });
});

describe('Socket.IO packets on the wire', () => {
  test.each([
    ['0', { type: 'CONNECT', namespace: '/', ackId: undefined, data: undefined }],
    ['0/admin,{"token":"x"}', { type: 'CONNECT', namespace: '/admin', ackId: undefined, data: { token: 'x' } }],
    ['2["chat","hi"]', { type: 'EVENT', namespace: '/', ackId: undefined, data: ['chat', 'hi'] }],
    ['2/chat,17["say",{"n":1}]', { type: 'EVENT', namespace: '/chat', ackId: 17, data: ['say', { n: 1 }] }],
    ['317[{"ok":true}]', { type: 'ACK', namespace: '/', ackId: 17, data: [{ ok: true }] }],
    ['51-["upload",{"_placeholder":true,"num":0}]', { type: 'BINARY_EVENT', namespace: '/', attachments: 1, data: ['upload', { _placeholder: true, num: 0 }] }],
  ])('%s decodes and encodes back unchanged', (wire, expected) => {
    const packet = decodeSocketPacket(wire);
    expect(packet).toMatchObject(expected);
    expect(encodeSocketPacket(packet!)).toBe(wire);
  });

  test('text that is not a Socket.IO packet is not guessed at', () => {
    expect(decodeSocketPacket('probe')).toBeUndefined();
    expect(decodeSocketPacket('9')).toBeUndefined();
    expect(decodeSocketPacket('2["broken')).toBeUndefined();
  });

  test("a client's CONNECT has its auth masked; the server's answer does not need it", () => {
    const fromClient = maskSocketPacket(decodeSocketPacket('0{"token":"s3cr3t"}')!, 'client');
    expect(encodeSocketPacket(fromClient)).toBe(`0{"token":"${MASK}"}`);
    expect(describeSocketPacket(fromClient, 'client')).toBe('Socket.IO CONNECT with auth');
    const fromServer = maskSocketPacket(decodeSocketPacket('0{"sid":"abc"}')!, 'server');
    expect(encodeSocketPacket(fromServer)).toBe('0{"sid":"abc"}');
  });

  test('labels say which event and which acknowledgement', () => {
    expect(describeSocketPacket(decodeSocketPacket('2/chat,3["say"]')!, 'client')).toBe('event "say" on /chat, asks for acknowledgement #3');
    expect(describeSocketPacket(decodeSocketPacket('33[1]')!, 'server')).toBe('acknowledgement #3');
  });

  test('long payloads are cut, saying by how much', () => {
    expect(truncate('x'.repeat(10), 4)).toBe('xxxx… (6 more characters)');
  });
});

describe('the lessons the handshake view links to', () => {
  /** Docusaurus's heading ids: lowercase, punctuation dropped, spaces to hyphens. */
  const slug = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .trim()
      .replace(/\s+/g, '-');

  test.each(Object.entries(lessons))('%s: the lesson and its section exist', (_name, { id, anchor }) => {
    expect(course.lessons.map((lesson) => lesson.id)).toContain(id);
    const mdx = fs.readFileSync(path.join(repoRoot, 'docs', 'lessons', `${id}.mdx`), 'utf8');
    const headings = [...mdx.matchAll(/^#{2,4} (.+)$/gm)].map((match) => slug(match[1]!));
    expect(headings, `docs/lessons/${id}.mdx has no heading with the id "${anchor}": update lessons in tooling/playground/recorder.ts`).toContain(anchor);
  });
});
