/**
 * The site follows the manifest: every lesson it names has a page with the
 * parts every lesson needs, and every exercise page is built from its README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course } from '../../exercises/manifest.ts';
import { renderExercisePage, taskFromReadme } from '../../docs/plugins/exercise-pages/render-page.ts';
import { siteDir } from './support/site-build.ts';

describe('lesson pages', () => {
  for (const lesson of course.lessons) {
    describe(lesson.id, () => {
      const file = path.join(siteDir, 'lessons', `${lesson.id}.mdx`);
      const source = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it(`exists as docs/lessons/${lesson.id}.mdx`, () => {
        expect(fs.existsSync(file), `write docs/lessons/${lesson.id}.mdx for the lesson the manifest names`).toBe(true);
      });

      it('has the title the manifest gives it', () => {
        const title = /^title:\s*(.+)$/m.exec(source)?.[1]?.trim().replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
        expect(title, 'the front matter title must match exercises/manifest.ts').toBe(lesson.title);
      });

      it('states learning goals, draws a diagram, asks a quiz, points to its exercises and to further reading', () => {
        expect(source).toContain(':::info[Learning goals]');
        expect(source).toContain('```mermaid');
        expect(source).toMatch(/<(MultipleChoice|OrderSteps)\b/);
        expect(source).toContain('<TryIt />');
        expect(source).toContain('## Further reading');
      });
    });
  }
});

describe('exercise pages', () => {
  const [exercise] = course.exercises;
  const part = course.parts.find(({ id }) => id === exercise?.part);
  const lesson = course.lessons.find(({ id }) => id === exercise?.lesson);
  const readme = '# A title\n\n**Lesson:** x · **File to edit:** y · **Check:** z\n\nThe task.\n\n## Your task\n\nDo it.\n';

  it('drop the README title and summary line, and keep the rest', () => {
    expect(taskFromReadme(readme)).toBe('The task.\n\n## Your task\n\nDo it.');
  });

  it('show the files to edit, the check command, every hint in a <details> block and a link to the lesson', () => {
    if (!exercise || !part || !lesson) throw new Error('the manifest needs a first exercise with a known part and lesson');
    const page = renderExercisePage({ exercise, number: 1, total: course.exercises.length, part, lesson, readme, requires: [], apiPermalinks: [] });
    expect(page).toContain(`npm run check -- ${exercise.id}`);
    for (const file of exercise.files) expect(page).toContain(`exercises/${exercise.id}/${file}`);
    expect(page.match(/<details>/g)).toHaveLength(exercise.hints.length);
    expect(page).toContain(`](../../lessons/${lesson.id}.mdx)`);
    expect(page).toContain('The task.');
    expect(page).not.toContain('**Lesson:** x');
  });
});

/**
 * Issue 12 §2: each correction, checked against its source, stays corrected. Each
 * test fails on the old, wrong text or insists on the right one.
 */
describe('factual corrections', () => {
  const read = (file: string) => fs.readFileSync(path.join(siteDir, file), 'utf8');
  /** The text with Markdown line breaks folded, so a phrase may wrap anywhere. */
  const lesson = (id: string) => read(path.join('lessons', `${id}.mdx`)).replace(/\s+/g, ' ');

  it('1. TCP: three segments stop old duplicate connection initiations (RFC 9293 §3.5); ISNs are a clock plus a keyed hash (§3.4.1)', () => {
    const tcp = lesson('tcp');
    expect(tcp).toContain('to stop old duplicate connection initiations from causing confusion');
    expect(tcp).toContain('RFC 9293 (section 3.5)');
    expect(tcp).toMatch(/clock plus a keyed hash/);
    expect(tcp).toContain('ISN = M + F(localip, localport, remoteip, remoteport, secretkey)');
    expect(tcp).not.toMatch(/Each side picks a random\s+\*?initial sequence number/);
  });

  it('2. TCP: a crashed process closes with FIN; RST comes from unread data, SO_LINGER 0, a dead socket, a reboot', () => {
    const tcp = lesson('tcp');
    expect(tcp).not.toContain('It happens when a process crashes');
    expect(tcp).toMatch(/kernel closes its sockets as `close\(\)` would, with an ordinary `FIN`/);
    for (const cause of ['unread data', '`SO_LINGER` set to a timeout of 0', 'a connection that does not exist', 'rebooted']) expect(tcp).toContain(cause);
  });

  it('3. CORS: cors.origin does not restrict WebSocket, is never the cause of a websocket error; the origin check is in allowRequest (RFC 6455 §10.2)', () => {
    const troubleshooting = lesson('troubleshooting');
    expect(troubleshooting).toContain('It does not apply to **WebSocket** at all');
    expect(troubleshooting).toContain('RFC 6455, section 10.2');
    expect(troubleshooting).toContain('Never CORS: browsers do not apply CORS to WebSocket');
    expect(troubleshooting).not.toMatch(/`websocket error`: the same/);
    expect(troubleshooting).toContain('{originCheckSource}');
    for (const snippet of ['snippets/origin-check.ts', 'snippets/socket-io-server.ts', 'snippets/troubleshooting.ts']) {
      expect(read(snippet), `${snippet} checks the origin in allowRequest`).toMatch(/allowRequest/);
    }
  });

  it('4. offline buffering is a client feature only; an event in flight is lost (at most once)', () => {
    for (const id of ['troubleshooting', 'socket-io']) {
      const text = lesson(id);
      expect(text, id).toMatch(/\*\*client\*\* (feature )?only/);
      expect(text, id).toMatch(/at most once/);
    }
    expect(lesson('troubleshooting')).toContain('An event in flight when the connection breaks is lost');
    expect(lesson('socket-io-vs-websocket')).toContain('the client (not the server) buffers events emitted while offline');
  });

  it('5. disconnect reasons include forced close and parse error; the reconnect demo is a forced close, not a dropped network', () => {
    const troubleshooting = lesson('troubleshooting');
    expect(troubleshooting).toContain('| `forced close` |');
    expect(troubleshooting).toContain('| `parse error` |');
    expect(troubleshooting).toMatch(/`socket\.io\.engine\.close\(\)`: that is a \*\*forced close\*\*/);
    const demo = read('src/components/live/ReconnectDemo.tsx');
    expect(demo).not.toContain('as when the network drops');
    expect(demo).toContain('forced close');
  });

  it('6. WebSocket: a non-101 answer is ordinary HTTP (§4.1); the §1.2 example has Sec-WebSocket-Protocol; close codes 1010 and 1015', () => {
    const websocket = lesson('websocket');
    expect(websocket).toContain('handles the answer **as ordinary HTTP**');
    expect(websocket).toContain('section 4.1');
    expect(websocket).not.toMatch(/must fail the connection if the value is wrong, if the status is not `101`/);
    expect(read('lessons/websocket.mdx')).toMatch(/Origin: http:\/\/example\.com\nSec-WebSocket-Protocol: chat, superchat\nSec-WebSocket-Version: 13/);
    expect(websocket).toContain('| `1010` |');
    expect(websocket).toContain('| `1015` |');
  });

  it('7. Socket.IO or WebSocket: "both run over TCP" is reconciled with WebTransport', () => {
    const vs = lesson('socket-io-vs-websocket');
    expect(vs).not.toMatch(/note that both run over TCP/);
    expect(vs).toMatch(/WebTransport \(since v4\.7\), over HTTP\/3 on QUIC and UDP/);
    expect(vs).toContain('leaves TCP for QUIC over UDP');
  });

  it('8. layers: two branches under Engine.IO; IP knows its payload is TCP (protocol 6), not the ports', () => {
    const layers = read('lessons/networks-in-layers.mdx');
    expect(layers).toMatch(/eio -- "transport 1" --> ws/);
    expect(layers).toMatch(/eio -- "transport 2" --> poll/);
    expect(layers).not.toContain('IP has no idea they belong to a TCP connection');
    expect(lesson('networks-in-layers')).toMatch(/says `6` for TCP/);
    expect(lesson('networks-in-layers')).toContain('IP knows nothing of ports');
  });

  it('9. Socket.IO: the goals decode the same ACK the packet table shows', () => {
    const socketIo = read('lessons/socket-io.mdx');
    expect(socketIo).not.toContain('`4317["ok"]`');
    expect(socketIo).toContain('`4317[{"ok":true}]`');
    expect(socketIo.match(/4317\[\{"ok":true\}\]/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
